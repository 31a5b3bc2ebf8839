import { clearToken, saveToken, takeToken } from '../lib/token';
import type { ReplayMode } from '../lib/replay-mode';
import { createAppServices, type AppServices } from './provider';

/** The current token's services; signing in or out, or replaying the past, closes them and makes new ones. */
export interface Session {
  /**
   * `generation` counts the services made so far: new ones remount the app. `replay`: the past
   * the desk shows (null: live).
   */
  get: () => { token: string | undefined; services: AppServices; generation: number; replay: ReplayMode | null };
  subscribe: (listener: () => void) => () => void;
  signIn: (token: string) => void;
  signOut: () => void;
  /** Shows the desk's past (every stream replays it), or live again (null): new services either way. */
  setReplay: (mode: ReplayMode | null) => void;
  /** A replay that reached now is live already: it says so, on the same services. */
  replayCaughtUp: () => void;
  close: () => void;
}

/** Starts a session with the token the page was opened with (taken out of the URL). */
export function createSession(create: (token: string | undefined, replay: ReplayMode | null) => AppServices = createAppServices): Session {
  const first = takeToken();
  let current = { token: first, services: create(first, null), generation: 0, replay: null as ReplayMode | null };
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const replace = (token: string | undefined, replay: ReplayMode | null = null) => {
    current.services.close();
    current = { token, services: create(token, replay), generation: current.generation + 1, replay };
    notify();
  };
  return {
    get: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    signIn(token) {
      saveToken(token);
      replace(token);
    },
    signOut() {
      clearToken();
      replace(undefined);
    },
    setReplay(mode) {
      replace(current.token, mode);
    },
    replayCaughtUp() {
      if (!current.replay) return;
      current = { ...current, replay: null };
      notify();
    },
    close: () => current.services.close(),
  };
}
