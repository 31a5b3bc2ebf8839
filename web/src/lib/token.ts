const STORAGE_KEY = 'livedesk.token';

/**
 * The caller's access token: `?token=` in the page URL (remembered for later visits) or the one
 * remembered before. The one place that knows where tokens come from; roles build on it.
 */
export function getToken(): string | undefined {
  if (typeof window === 'undefined') return undefined;
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  try {
    if (fromUrl) window.localStorage.setItem(STORAGE_KEY, fromUrl);
    return fromUrl ?? window.localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    // Storage can be unavailable (private mode, sandboxed frames); the URL still works.
    return fromUrl ?? undefined;
  }
}
