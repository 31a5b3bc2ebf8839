import { describe, expect, it } from 'vitest';
import { identityOf } from './identity';
import type { Caller } from './tokens';

const caller = (id: string, name = id): Caller => ({ role: 'viewer', id, name, expiresAt: null });

describe('identityOf', () => {
  it('is the token’s id, the same from any address, and never the token itself', () => {
    const a = identityOf(caller('viewer-1a2b3c'), 'viewer-token-aaaaaaaaaa', '10.0.0.1');
    expect(a).toBe('token:viewer-1a2b3c');
    expect(identityOf(caller('viewer-1a2b3c'), 'viewer-token-aaaaaaaaaa', '10.9.9.9')).toBe(a);
    expect(identityOf(caller('viewer-4d5e6f'), 'viewer-token-bbbbbbbbbb', '10.0.0.1')).not.toBe(a);
    expect(a).not.toContain('viewer-token');
  });

  it('falls back to the name, then to a hash of the token', () => {
    expect(identityOf(caller('', 'alice'), 'whatever-token-123456', '10.0.0.1')).toBe('token:alice');
    const hashed = identityOf(caller('', ''), 'whatever-token-123456', '10.0.0.1');
    expect(hashed).toMatch(/^token:#[\w-]{16}$/);
    expect(hashed).not.toContain('whatever');
  });

  it('is the address for a caller without a token', () => {
    expect(identityOf(null, undefined, '10.0.0.1')).toBe('addr:10.0.0.1');
    expect(identityOf(null, 'bad-token', '10.0.0.2')).toBe('addr:10.0.0.2');
  });
});
