import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { Refusals } from '../transport/refusals';
import { requestUrl } from './request-target';

/** A request refused before any route runs: the status, a stable code and what to do about it. */
export interface Refusal {
  status: number;
  /** A tRPC error code name (`BAD_REQUEST`, `METHOD_NOT_SUPPORTED`, …). */
  code: string;
  message: string;
  headers?: Record<string, string>;
}

const METHODS = 'GET, HEAD, POST, OPTIONS';
const ALLOWED = new Set(METHODS.split(', '));

/**
 * Why a request cannot be routed, or null when it can: a target or `Host:` header that does not
 * parse (400), a method no route serves (405), a path with broken percent-encoding (400), a declared
 * body over `maxBodyBytes` (413; a chunked body is counted as it arrives by tRPC's adapter). Every
 * route after it may parse and decode the URL without guarding against a throw.
 */
export function refusalOf(req: IncomingMessage, maxBodyBytes: number): Refusal | null {
  const url = requestUrl(req);
  if (url === null) return { status: 400, code: 'BAD_REQUEST', message: 'malformed request target or Host header: send a path such as /trpc/system.health' };
  if (!ALLOWED.has(req.method ?? '')) {
    return { status: 405, code: 'METHOD_NOT_SUPPORTED', message: `method ${req.method} is not supported: use ${METHODS}`, headers: { allow: METHODS } };
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return { status: 400, code: 'BAD_REQUEST', message: 'malformed percent-encoding in the path' };
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > maxBodyBytes) {
    // The body is not read: the connection closes after the answer instead.
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: `request body over ${maxBodyBytes} bytes (DESK_MAX_BODY_BYTES)`, headers: { connection: 'close' } };
  }
  return null;
}

/** Answers a refusal as JSON (`{ error, code }`), the shape of every non-tRPC error response. */
export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  res.writeHead(refusal.status, { 'content-type': 'application/json', ...refusal.headers });
  res.end(JSON.stringify({ error: refusal.message, code: refusal.code }));
}

/**
 * Answers a refusal of a tRPC call (or batch) in tRPC's own error shape, `{ error: shape }` through
 * the router's formatter: a tRPC client maps it to every call it sent, each failing with the code.
 * In the `{ error, code }` shape it read as an answer it could not map ("Unable to transform
 * response from server", no code), which its retry link took for a lost connection.
 */
export function sendTrpcRefusal(res: ServerResponse, refusal: Refusal, refusals: Refusals): void {
  res.writeHead(refusal.status, { 'content-type': 'application/json', ...refusal.headers });
  res.end(`{"error":${refusals.shape(refusal.code as TRPC_ERROR_CODE_KEY, refusal.message)}}`);
}

/** Answers `refusal` of `req` in the shape its client reads: tRPC's on a `/trpc/` path, else `{ error, code }`. */
export function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal, refusals: Refusals): void {
  if (req.url?.startsWith('/trpc/')) sendTrpcRefusal(res, refusal, refusals);
  else sendRefusal(res, refusal);
}
