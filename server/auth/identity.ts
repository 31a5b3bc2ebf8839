import { createHash } from 'node:crypto';
import type { Caller } from './tokens';

/**
 * Who a caller is for limits: its token's id (or name), else a hash of the token
 * (never the token itself, which would then sit in memory and logs as a key), and the client's
 * address for a caller without a token. Limits go by this first and by address second, so people
 * sharing an address (or a proxy) do not share limits, and one token's many connections do.
 */
export function identityOf(caller: Caller | null, token: unknown, address: string): string {
  if (caller === null || typeof token !== 'string' || token.length === 0) return `addr:${address}`;
  if (caller.id.length > 0) return `token:${caller.id}`;
  if (caller.name.length > 0) return `token:${caller.name}`;
  return `token:#${createHash('sha256').update(token).digest('base64url').slice(0, 16)}`;
}
