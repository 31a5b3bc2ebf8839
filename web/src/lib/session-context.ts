import { createContext, useContext } from 'react';
import type { ReplayMode } from './replay-mode';

/** What the sign-in screen and the header's sign-out need. */
export interface SessionActions {
  /** True when a token is presented (from the URL, storage or the sign-in form). */
  hasToken: boolean;
  /** Remembers `token` and reconnects with it. */
  signIn: (token: string) => void;
  /** Forgets the token and reconnects without one. */
  signOut: () => void;
  /** The past the desk shows, null while live. */
  replay: ReplayMode | null;
  /** Replays the desk from a moment (every panel), or goes back to live (null). */
  setReplay: (mode: ReplayMode | null) => void;
  /** Marks a replay that reached now as live (its streams already are). */
  replayCaughtUp: () => void;
}

export const SessionContext = createContext<SessionActions | null>(null);

/** Sign-in and sign-out; throws outside the provider. */
export function useSession(): SessionActions {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <AppProvider>');
  return session;
}

/** The past the desk shows (null: live), for parts that may render outside the provider (tests). */
export function useReplayMode(): ReplayMode | null {
  return useContext(SessionContext)?.replay ?? null;
}
