import { describe, expect, it } from 'vitest';
import { requestUrl } from './request-target';

describe('requestUrl', () => {
  it('parses a path with its query against the Host header', () => {
    const url = requestUrl({ url: '/trpc?connectionParams=1', headers: { host: '127.0.0.1:3000' } });
    expect(url?.pathname).toBe('/trpc');
    expect(url?.searchParams.get('connectionParams')).toBe('1');
    expect(url?.host).toBe('127.0.0.1:3000');
  });

  it('uses localhost when there is no Host header', () => {
    expect(requestUrl({ url: '/health', headers: {} })?.href).toBe('http://localhost/health');
  });

  it.each(['//', '//:99999', '//[', 'http://[', '//%', '//[::1', 'http://127.0.0.1/trpc', '/\\evil', '*', ''])('refuses the target %j', (target) => {
    expect(requestUrl({ url: target, headers: { host: 'localhost' } })).toBeNull();
  });

  it.each(['[', '[::1', 'a:99999', '%', '', 'a b'])('refuses the Host header %j', (host) => {
    expect(requestUrl({ url: '/trpc', headers: { host } })).toBeNull();
  });
});
