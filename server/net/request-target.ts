import type { IncomingMessage } from 'node:http';

/**
 * The request's URL, built the way tRPC's node adapters build it (`new URL(req.url, http://<Host>)`),
 * or null when that would throw or the target is not a plain path: `//x`, `http://x`, `*`, a bad
 * `Host:` header. Checked before any handler runs, so nothing later can fail on it.
 */
export function requestUrl(req: Pick<IncomingMessage, 'url' | 'headers'>): URL | null {
  const target = req.url;
  // Only origin-form targets ("/path?query"): "//host" and "scheme://" would parse as an authority.
  if (target === undefined || target[0] !== '/' || target[1] === '/' || target[1] === '\\') return null;
  const host = req.headers.host ?? 'localhost';
  try {
    return new URL(target, `http://${host}`);
  } catch {
    return null;
  }
}
