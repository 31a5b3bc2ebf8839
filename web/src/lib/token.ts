const STORAGE_KEY = 'livedesk.token';

/** Where the token lives between visits: localStorage, or nothing when storage is unavailable. */
function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    // Storage can be unavailable (private mode, sandboxed frames); the URL and the sign-in form still work.
    return null;
  }
}

/**
 * The caller's access token at page load: `?token=` in the page URL, or the one remembered before.
 * A token in the URL is remembered and removed from the address bar at once (`history.replaceState`),
 * so it does not stay in screenshots, shared links or history. The one place that knows where
 * tokens come from.
 */
export function takeToken(): string | undefined {
  if (typeof window === 'undefined') return undefined;
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  if (fromUrl) {
    saveToken(fromUrl);
    return fromUrl;
  }
  return storage()?.getItem(STORAGE_KEY) ?? undefined;
}

/** Remembers `token` for later visits. */
export function saveToken(token: string): void {
  storage()?.setItem(STORAGE_KEY, token);
}

/** Forgets the remembered token (sign out). */
export function clearToken(): void {
  storage()?.removeItem(STORAGE_KEY);
}
