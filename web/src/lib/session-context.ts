import { createContext, useContext } from 'react';

/** What the sign-in screen and the header's sign-out need. */
export interface SessionActions {
  /** True when a token is presented (from the URL, storage or the sign-in form). */
  hasToken: boolean;
  /** Remembers `token` and reconnects with it. */
  signIn: (token: string) => void;
  /** Forgets the token and reconnects without one. */
  signOut: () => void;
}

export const SessionContext = createContext<SessionActions | null>(null);

/** Sign-in and sign-out; throws outside the provider. */
export function useSession(): SessionActions {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <AppProvider>');
  return session;
}
