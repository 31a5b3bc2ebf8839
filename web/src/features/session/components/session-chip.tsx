import type { Identity } from '../../../lib/identity';
import { useSession } from '../../../lib/session-context';

const READS: Record<'viewer' | 'operator' | 'admin', string> = {
  viewer: 'read-only',
  operator: 'can act',
  admin: 'can act and administer',
};

/** The signed-in name and role, and sign out. */
export function SessionChip({ identity }: { identity: Identity }) {
  const { hasToken, signOut } = useSession();
  if (identity.status !== 'signed-in') return null;
  return (
    <div className="session" data-testid="session">
      <span className="session-name" title={identity.name}>
        {identity.name}
      </span>
      <span className={`role role-${identity.role}`} data-testid="session-role" data-role={identity.role} title={READS[identity.role]}>
        {identity.role}
        {identity.role === 'viewer' ? <span className="role-note"> · read-only</span> : null}
      </span>
      {hasToken ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={signOut} data-testid="sign-out">
          Sign out
        </button>
      ) : null}
    </div>
  );
}
