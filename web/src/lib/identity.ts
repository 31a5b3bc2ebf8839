import type { ConnectionView } from './connection';

/** The desk's roles, each including the ones before it. */
export type Role = 'viewer' | 'operator' | 'admin';
const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` includes the rights of `required` (admin ⊃ operator ⊃ viewer), as the server decides. */
export function hasRole(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}

/** What `system.whoami` answers. */
export interface Me {
  role: Role;
  name: string;
  expiresAt: number | null;
  serverTime: number;
}

/** Who the desk says this page is. */
export type Identity =
  | { status: 'checking' }
  | { status: 'refused'; reason: 'missing' | 'rejected'; message: string }
  | { status: 'signed-in'; role: Role; name: string; expiresAt: number | null };

/** True for the server's UNAUTHORIZED: no token, a wrong one, or one expired or revoked since. */
export function isRefusal(error: unknown): boolean {
  const data = (error as { data?: { code?: unknown; httpStatus?: unknown } } | null)?.data;
  return data?.code === 'UNAUTHORIZED' || data?.httpStatus === 401;
}

/**
 * The identity from the latest `system.whoami` answer. A refusal wins over an earlier answer (the
 * token expired or was revoked); any other failure (the server is down) keeps what was known.
 */
export function identityOf(answer: { data: Me | undefined; error: unknown }, hasToken: boolean): Identity {
  if (answer.error && isRefusal(answer.error)) {
    const message = (answer.error as { message?: unknown }).message;
    return {
      status: 'refused',
      reason: hasToken ? 'rejected' : 'missing',
      message: hasToken ? (typeof message === 'string' && message ? message : 'the desk refused this token') : 'this desk needs a token',
    };
  }
  if (answer.data) return { status: 'signed-in', role: answer.data.role, name: answer.data.name, expiresAt: answer.data.expiresAt };
  return { status: 'checking' };
}

/**
 * What the connection badge shows once the session is taken into account: never Live while the
 * desk refuses the token or has not yet said who this is, however well the socket is doing.
 */
export function describeAccess(view: ConnectionView, identity: Identity): ConnectionView {
  if (identity.status === 'refused')
    return { status: 'refused', label: identity.reason === 'missing' ? 'Signed out' : 'Token refused', detail: identity.message, since: null };
  if (identity.status === 'checking' && view.status === 'live') return { status: 'connecting', label: 'Signing in', detail: null, since: null };
  return view;
}
