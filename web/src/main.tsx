import { StrictMode, useMemo, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { AppProvider } from './app/provider';
import { createSession, type Session } from './app/session';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

const session = createSession();
// A hot reload replaces this module; close the old socket instead of leaking it.
import.meta.hot?.dispose(() => session.close());

/** Renders the desk for the session's current token; a new token remounts it on new services. */
function Root({ session }: { session: Session }) {
  const { token, services, generation, replay } = useSyncExternalStore(session.subscribe, session.get);
  const actions = useMemo(
    () => ({ hasToken: token !== undefined, signIn: session.signIn, signOut: session.signOut, replay, setReplay: session.setReplay, replayCaughtUp: session.replayCaughtUp }),
    [token, session, replay],
  );
  return (
    <AppProvider key={generation} services={services} session={actions}>
      <App />
    </AppProvider>
  );
}

createRoot(root).render(
  <StrictMode>
    <Root session={session} />
  </StrictMode>,
);
