import type { ServerResponse } from 'node:http';

/**
 * The dashboard's Content-Security-Policy: its own scripts, styles and connections (the WebSocket
 * included: CSP's 'self' covers ws:/wss: on the same host), the inline SVG favicon, and no framing
 * by any site (clickjacking the control panel).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every HTTP response: the dashboard's files, the API, health and metrics. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // The page URL can carry `?token=` on the first open: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Sets the security headers; a route may still add its own (tRPC and the static files do). */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const name in SECURITY_HEADERS) res.setHeader(name, SECURITY_HEADERS[name]!);
}
