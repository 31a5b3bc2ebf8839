import { useId, useState, type FormEvent } from 'react';
import { MAIN_ID } from '../../../components/ui/skip-links';
import type { Identity } from '../../../lib/identity';
import { useSession } from '../../../lib/session-context';

/** Shown instead of the desk while the server refuses the session: paste a token to sign in. */
export function SignInScreen({ identity }: { identity: Extract<Identity, { status: 'refused' }> }) {
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const inputId = useId();
  const rejected = identity.reason === 'rejected';

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = token.trim();
    if (value) signIn(value);
  }

  return (
    <main className="sign-in skip-target" id={MAIN_ID} tabIndex={-1} data-testid="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby={`${inputId}-title`} noValidate>
        <h2 id={`${inputId}-title`}>Sign in to the desk</h2>
        <p className={rejected ? 'form-error' : 'muted'} role={rejected ? 'alert' : undefined} data-testid="sign-in-reason">
          {rejected
            ? 'The desk refused this token: it is not one this desk knows, or it has expired or been revoked. Paste a valid one.'
            : 'This desk needs an access token. Paste the one you were given.'}
        </p>
        {rejected ? (
          <p className="muted sign-in-note" data-testid="sign-in-detail">
            The desk said: {identity.message}
          </p>
        ) : null}
        <label htmlFor={inputId}>Access token</label>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={token}
          onChange={(e) => setToken(e.target.value)}
          data-testid="sign-in-token"
        />
        <button type="submit" className="btn btn-primary" disabled={token.trim() === ''} data-testid="sign-in-submit">
          Sign in
        </button>
        <p className="muted sign-in-note">The token is remembered in this browser until you sign out.</p>
      </form>
    </main>
  );
}
