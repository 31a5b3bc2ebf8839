import { describe, expect, it } from 'vitest';
import type { ConnectionView } from './connection';
import { describeAccess, hasRole, identityOf, type Me } from './identity';

const me: Me = { role: 'viewer', name: 'grafana', expiresAt: null, serverTime: 1 };
const unauthorized = { message: 'a valid token is required', data: { code: 'UNAUTHORIZED', httpStatus: 401 } };
const offline = { message: 'Failed to fetch' };
const live: ConnectionView = { status: 'live', label: 'Live', detail: null, since: null };

describe('identity', () => {
  it('is signed in with the role the desk answered', () => {
    expect(identityOf({ data: me, error: null }, true)).toEqual({ status: 'signed-in', role: 'viewer', name: 'grafana', expiresAt: null });
  });

  it('is refused on UNAUTHORIZED, even after an earlier answer (the token expired or was revoked)', () => {
    expect(identityOf({ data: undefined, error: unauthorized }, false)).toMatchObject({ status: 'refused', reason: 'missing' });
    expect(identityOf({ data: me, error: { ...unauthorized, message: 'the token has expired' } }, true)).toEqual({
      status: 'refused',
      reason: 'rejected',
      message: 'the token has expired',
    });
  });

  it('keeps what it knew while the desk cannot be reached, and is still checking if it knew nothing', () => {
    expect(identityOf({ data: me, error: offline }, true).status).toBe('signed-in');
    expect(identityOf({ data: undefined, error: offline }, true).status).toBe('checking');
    expect(identityOf({ data: undefined, error: { data: { code: 'FORBIDDEN', httpStatus: 403 } } }, true).status).toBe('checking');
  });

  it('orders roles as the server does', () => {
    expect(hasRole('admin', 'operator')).toBe(true);
    expect(hasRole('operator', 'operator')).toBe(true);
    expect(hasRole('viewer', 'operator')).toBe(false);
    expect(hasRole('operator', 'admin')).toBe(false);
  });
});

describe('describeAccess', () => {
  it('never says Live while the token is refused or not yet confirmed', () => {
    const refused = describeAccess(live, identityOf({ data: undefined, error: unauthorized }, true));
    expect(refused).toMatchObject({ status: 'refused', label: 'Token refused', detail: 'a valid token is required' });
    expect(describeAccess(live, identityOf({ data: undefined, error: unauthorized }, false)).label).toBe('Signed out');
    expect(describeAccess(live, { status: 'checking' })).toMatchObject({ status: 'connecting', label: 'Signing in' });
  });

  it('passes the socket state through once signed in', () => {
    const down: ConnectionView = { status: 'reconnecting', label: 'Reconnecting', detail: 'attempt 1', since: 5 };
    expect(describeAccess(live, identityOf({ data: me, error: null }, true))).toBe(live);
    expect(describeAccess(down, identityOf({ data: me, error: offline }, true))).toBe(down);
  });
});
