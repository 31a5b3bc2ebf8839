import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const roleSchema = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof roleSchema>;

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` includes the rights of `required` (admin ⊃ operator ⊃ viewer). */
export function hasRole(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}

/** Who a connection is: its role, and when a signed token stops granting more than viewing. */
export interface Auth {
  role: Role;
  /** ms since the epoch; null for tokens that do not expire. */
  expiresAt: number | null;
}

/** The role in force now: an expired token keeps viewing (its streams go on) but loses the rest. */
export function effectiveRole(auth: Auth, now: number): Role {
  return auth.expiresAt !== null && now >= auth.expiresAt ? 'viewer' : auth.role;
}

export interface AuthConfig {
  /** Static tokens and the role each grants. */
  tokens?: Record<string, Role>;
  /** HMAC secret for signed tokens (`createSignedToken`). */
  secret?: string;
}

const signedPayload = z.object({ r: roleSchema, exp: z.number().int().positive() });

/** A token carrying its role and expiry, signed with HMAC-SHA256: `ld1.<payload>.<signature>`. */
export function createSignedToken(secret: string, role: Role, ttlMs: number, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ r: role, exp: now + ttlMs })).toString('base64url');
  return `ld1.${payload}.${sign(secret, payload)}`;
}

/**
 * Resolves a presented token: a configured static token, or a signed token with a valid signature
 * that has not expired yet. Null for anything else.
 */
export function resolveToken(config: AuthConfig, token: unknown, now = Date.now()): Auth | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > 512) return null;
  for (const [known, role] of Object.entries(config.tokens ?? {})) {
    if (safeEqual(known, token)) return { role, expiresAt: null };
  }
  if (!config.secret || !token.startsWith('ld1.')) return null;
  const [, payload, signature] = token.split('.');
  if (!payload || !signature || !safeEqual(sign(config.secret, payload), signature)) return null;
  let claims;
  try {
    claims = signedPayload.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
  if (!claims.success || claims.data.exp <= now) return null;
  return { role: claims.data.r, expiresAt: claims.data.exp };
}

/** A random token for the desk to hand out when none is configured. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
