import { clearToken, saveToken, takeToken } from '../lib/token';
import { createAppServices, type AppServices } from './provider';

/** The current token's services; signing in or out closes them and makes new ones. */
export interface Session {
  /** `generation` counts the tokens used so far: a new one remounts the app on new services. */
  get: () => { token: string | undefined; services: AppServices; generation: number };
  subscribe: (listener: () => void) => () => void;
  signIn: (token: string) => void;
  signOut: () => void;
  close: () => void;
}

/** Starts a session with the token the page was opened with (taken out of the URL). */
export function createSession(create: (token: string | undefined) => AppServices = createAppServices): Session {
  const first = takeToken();
  let current = { token: first, services: create(first), generation: 0 };
  const listeners = new Set<() => void>();
  const replace = (token: string | undefined) => {
    current.services.close();
    current = { token, services: create(token), generation: current.generation + 1 };
    for (const listener of listeners) listener();
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
    close: () => current.services.close(),
  };
}
