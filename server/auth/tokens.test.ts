import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSignedToken, hasRole, refusal, resolveToken, type Caller } from './tokens';

describe('tokens', () => {
  const config = {
    tokens: { 'view-me-0123456789': 'viewer' as const, 'run-me-0123456789': 'operator' as const, 'alice-0123456789ab': { role: 'operator' as const, name: 'alice' } },
    secret: 's3cret',
  };

  it('resolves static tokens to their role and a stable id, and refuses unknown ones', () => {
    const operator = resolveToken(config, 'run-me-0123456789');
    expect(operator).toMatchObject({ role: 'operator', expiresAt: null });
    expect(operator!.id).toMatch(/^operator-[0-9a-f]{10}$/);
    expect(resolveToken(config, 'run-me-0123456789')).toEqual(operator);
    expect(operator!.id).not.toContain('run-me');
    expect(resolveToken(config, 'view-me-0123456789')).toMatchObject({ role: 'viewer' });
    expect(resolveToken(config, 'nope')).toBeNull();
    expect(resolveToken(config, undefined)).toBeNull();
    expect(resolveToken(config, 42)).toBeNull();
  });

  it('names a named static token by its name', () => {
    expect(resolveToken(config, 'alice-0123456789ab')).toEqual({ role: 'operator', id: 'alice', name: 'alice', expiresAt: null });
  });

  it('accepts a signed token until it expires, and never with another secret or a changed payload', () => {
    const token = createSignedToken('s3cret', { role: 'admin', ttlMs: 1000, name: 'bob', id: 'bob-1' }, 5000);
    expect(resolveToken(config, token, 5500)).toEqual({ role: 'admin', id: 'bob-1', name: 'bob', expiresAt: 6000 });
    expect(resolveToken(config, token, 6000)).toBeNull();
    expect(resolveToken({ secret: 'other' }, token, 5500)).toBeNull();
    const [prefix, , signature] = token.split('.');
    const forged = `${prefix}.${Buffer.from(JSON.stringify({ r: 'admin', exp: 9e15 })).toString('base64url')}.${signature}`;
    expect(resolveToken(config, forged, 5500)).toBeNull();
  });

  it('gives each signed token its own id unless one is chosen', () => {
    const a = resolveToken(config, createSignedToken('s3cret', { role: 'viewer', ttlMs: 1000, name: 'carol' }));
    const b = resolveToken(config, createSignedToken('s3cret', { role: 'viewer', ttlMs: 1000, name: 'carol' }));
    expect(a!.name).toBe('carol');
    expect(a!.id).not.toBe(b!.id);
  });

  it('still accepts a signed token from before tokens carried a name, under an id from its signature', () => {
    const payload = Buffer.from(JSON.stringify({ r: 'operator', exp: 9000 })).toString('base64url');
    const signature = createHmac('sha256', 's3cret').update(payload).digest('base64url');
    const caller = resolveToken(config, `ld1.${payload}.${signature}`, 5000);
    expect(caller).toMatchObject({ role: 'operator', expiresAt: 9000 });
    expect(caller!.id).toMatch(/^signed-[0-9a-f]{10}$/);
  });

  it('refuses a signed token with anything but exactly three segments', () => {
    const token = createSignedToken('s3cret', { role: 'admin', ttlMs: 1000 }, 5000);
    expect(resolveToken(config, token, 5500)).not.toBeNull();
    for (const bad of [`${token}.anything`, `${token}.`, `${token}..`, token.split('.').slice(0, 2).join('.'), `${token}=`, ` ${token}`, token.replace('ld1.', 'ld2.')]) {
      expect(resolveToken(config, bad, 5500), bad).toBeNull();
    }
  });

  it('orders roles admin > operator > viewer', () => {
    expect(hasRole('admin', 'operator')).toBe(true);
    expect(hasRole('operator', 'viewer')).toBe(true);
    expect(hasRole('viewer', 'operator')).toBe(false);
    expect(hasRole('operator', 'admin')).toBe(false);
  });

  it('refuses a caller whose token has expired or has been revoked since the connection opened', () => {
    const caller: Caller = { role: 'operator', id: 'op-1', name: 'dave', expiresAt: 100 };
    const none = () => false;
    expect(refusal(caller, 99, none)).toBeNull();
    expect(refusal(caller, 100, none)).toMatch(/expired/);
    expect(refusal({ ...caller, expiresAt: null }, 1e15, none)).toBeNull();
    expect(refusal(caller, 99, (c) => c.name === 'dave')).toMatch(/revoked/);
  });
});
