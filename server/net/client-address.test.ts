import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressResolver, parseProxyList } from './client-address';

const request = (peer: string, forwarded?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

describe('clientAddressResolver', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    const resolve = clientAddressResolver([]);
    expect(resolve(request('10.0.0.5', '1.2.3.4'))).toBe('10.0.0.5');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const resolve = clientAddressResolver(['10.0.0.0/8']);
    expect(resolve(request('192.168.1.9', '1.2.3.4'))).toBe('192.168.1.9');
  });

  it('takes the right-most address that is not a trusted proxy', () => {
    const resolve = clientAddressResolver(['10.0.0.0/8', '::1']);
    expect(resolve(request('10.0.0.5', '6.6.6.6, 1.2.3.4'))).toBe('1.2.3.4');
    expect(resolve(request('::ffff:10.0.0.5', '1.2.3.4, 10.1.1.1'))).toBe('1.2.3.4');
    expect(resolve(request('::1', '2001:db8::7'))).toBe('2001:db8::7');
  });

  it('stops at a malformed entry and keeps the last address it could trust', () => {
    const resolve = clientAddressResolver(['10.0.0.5']);
    expect(resolve(request('10.0.0.5', 'garbage'))).toBe('10.0.0.5');
    expect(resolve(request('10.0.0.5'))).toBe('10.0.0.5');
    expect(resolve(request('10.0.0.5', '1.2.3.4, not-an-ip'))).toBe('10.0.0.5');
  });
});

describe('parseProxyList', () => {
  it('accepts addresses and CIDR ranges of both families and names a bad entry', () => {
    expect(() => parseProxyList(['10.0.0.1', '10.0.0.0/8', 'fd00::/8', '::1'])).not.toThrow();
    expect(() => parseProxyList(['10.0.0.0/33'])).toThrow(/10.0.0.0\/33/);
    expect(() => parseProxyList(['proxy.local'])).toThrow(/proxy.local/);
    expect(() => parseProxyList(['10.0.0.0/'])).toThrow();
  });
});
