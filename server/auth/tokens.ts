import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const roleSchema = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** A token's name: who holds it, as the audit log and limits show it. */
export const tokenNameSchema = z.string().regex(/^[\w.@-]{1,64}$/, 'a name is 1-64 letters, digits, _ . @ or -');

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` includes the rights of `required` (admin ⊃ operator ⊃ viewer). */
export function hasRole(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}

/**
 * Who is calling. `id` names one token (a named static token's name, a signed token's `jti`, or a
 * fingerprint of an unnamed static token) and is stable across connections; `name` is the person
 * or program the token was issued to (several signed tokens can share one).
 */
export interface Caller {
  role: Role;
  id: string;
  name: string;
  /** ms since the epoch; null for tokens that do not expire. */
  expiresAt: number | null;
}

/** A static token's grant: its role and, for named tokens, who holds it. */
export interface StaticGrant {
  role: Role;
  name?: string;
}

export interface AuthConfig {
  /** Static tokens and what each grants (a bare role for unnamed tokens). */
  tokens?: Record<string, Role | StaticGrant>;
  /** HMAC secret for signed tokens (`createSignedToken`). */
  secret?: string;
  /** Token ids or names refused from the start (`DESK_REVOKED_TOKENS`). */
  revoked?: readonly string[];
}

const signedPayload = z.object({
  r: roleSchema,
  exp: z.number().int().positive(),
  sub: tokenNameSchema.optional(),
  jti: tokenNameSchema.optional(),
});

export interface SignedTokenOptions {
  role: Role;
  ttlMs: number;
  /** Who the token is for. @default the role */
  name?: string;
  /** The token's id (what `system.revokeToken` takes). @default a random one */
  id?: string;
}

/**
 * A token carrying its role, holder, id and expiry, signed with HMAC-SHA256:
 * `ld1.<payload>.<signature>`.
 */
export function createSignedToken(secret: string, options: SignedTokenOptions, now = Date.now()): string {
  const claims = { r: options.role, exp: now + options.ttlMs, sub: options.name ?? options.role, jti: options.id ?? randomBytes(9).toString('base64url') };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `ld1.${payload}.${sign(secret, payload)}`;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** The base64url length of an HMAC-SHA256 digest. */
const SIGNATURE_LENGTH = 43;

/**
 * Resolves a presented token: a configured static token, or a signed token of exactly three
 * segments with a valid signature that has not expired yet. Null for anything else. Revocation is
 * not decided here (it changes while a connection is open): see `refusal`.
 */
export function resolveToken(config: AuthConfig, token: unknown, now = Date.now()): Caller | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > 512) return null;
  // Hashes have one length, so comparing them takes the same time whatever was presented.
  const presented = digest(token);
  for (const [known, grant] of Object.entries(config.tokens ?? {})) {
    if (timingSafeEqual(digest(known), presented)) return staticCaller(known, grant);
  }
  if (!config.secret) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'ld1') return null;
  const [, payload, signature] = parts as [string, string, string];
  if (!SEGMENT.test(payload) || signature.length !== SIGNATURE_LENGTH || !SEGMENT.test(signature)) return null;
  if (!timingSafeEqual(Buffer.from(sign(config.secret, payload)), Buffer.from(signature))) return null;
  let claims;
  try {
    claims = signedPayload.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
  if (!claims.success || claims.data.exp <= now) return null;
  const { r, exp, sub, jti } = claims.data;
  // Tokens minted before they carried an id get one derived from their signature.
  const id = jti ?? `signed-${fingerprint(signature)}`;
  return { role: r, id, name: sub ?? id, expiresAt: exp };
}

function staticCaller(token: string, grant: Role | StaticGrant): Caller {
  if (typeof grant === 'string') {
    const id = `${grant}-${fingerprint(token)}`;
    return { role: grant, id, name: id, expiresAt: null };
  }
  const id = grant.name ?? `${grant.role}-${fingerprint(token)}`;
  return { role: grant.role, id, name: id, expiresAt: null };
}

/** Why a resolved caller may no longer call, or null: expiry and revocation are checked per call. */
export function refusal(caller: Caller, now: number, isRevoked: (caller: Caller) => boolean): string | null {
  if (isRevoked(caller)) return 'this token has been revoked';
  if (caller.expiresAt !== null && now >= caller.expiresAt) return 'the token has expired; connect again with a new one';
  return null;
}

/** A random token for the desk to hand out when none is configured. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A short, non-secret name for a token (the first 40 bits of its SHA-256). */
function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 10);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
