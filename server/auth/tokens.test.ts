import { describe, expect, it } from 'vitest';
import { createSignedToken, effectiveRole, hasRole, resolveToken } from './tokens';

describe('tokens', () => {
  const config = { tokens: { 'view-me': 'viewer' as const, 'run-me': 'operator' as const }, secret: 's3cret' };

  it('resolves static tokens to their role and refuses unknown ones', () => {
    expect(resolveToken(config, 'run-me')).toEqual({ role: 'operator', expiresAt: null });
    expect(resolveToken(config, 'view-me')).toEqual({ role: 'viewer', expiresAt: null });
    expect(resolveToken(config, 'nope')).toBeNull();
    expect(resolveToken(config, undefined)).toBeNull();
    expect(resolveToken(config, 42)).toBeNull();
  });

  it('accepts a signed token until it expires, and never with another secret or a changed payload', () => {
    const token = createSignedToken('s3cret', 'admin', 1000, 5000);
    expect(resolveToken(config, token, 5500)).toEqual({ role: 'admin', expiresAt: 6000 });
    expect(resolveToken(config, token, 6000)).toBeNull();
    expect(resolveToken({ secret: 'other' }, token, 5500)).toBeNull();
    const [prefix, , signature] = token.split('.');
    const forged = `${prefix}.${Buffer.from(JSON.stringify({ r: 'admin', exp: 9e15 })).toString('base64url')}.${signature}`;
    expect(resolveToken(config, forged, 5500)).toBeNull();
  });

  it('orders roles admin > operator > viewer', () => {
    expect(hasRole('admin', 'operator')).toBe(true);
    expect(hasRole('operator', 'viewer')).toBe(true);
    expect(hasRole('viewer', 'operator')).toBe(false);
    expect(hasRole('operator', 'admin')).toBe(false);
  });

  it('drops an expired token to viewer for a connection that is already open', () => {
    expect(effectiveRole({ role: 'operator', expiresAt: 100 }, 99)).toBe('operator');
    expect(effectiveRole({ role: 'operator', expiresAt: 100 }, 100)).toBe('viewer');
    expect(effectiveRole({ role: 'admin', expiresAt: null }, 1e15)).toBe('admin');
  });
});
