import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { refusalOf } from './http-guard';

const request = (method: string, url: string, headers: Record<string, string> = { host: 'localhost' }) => ({ method, url, headers }) as IncomingMessage;

describe('refusalOf', () => {
  it('lets well-formed requests through', () => {
    for (const method of ['GET', 'HEAD', 'POST', 'OPTIONS']) expect(refusalOf(request(method, '/trpc/system.health?input=%7B%7D'))).toBeNull();
  });

  it('refuses targets that are not a path, and bad Host headers, with 400', () => {
    expect(refusalOf(request('GET', '//[::1'))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(refusalOf(request('GET', '/', { host: '[' }))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('refuses broken percent-encoding in the path with 400', () => {
    expect(refusalOf(request('GET', '/trpc/%E0%A4%A'))).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: expect.stringContaining('percent-encoding') });
  });

  it('refuses other methods with 405 and says which are allowed', () => {
    expect(refusalOf(request('TRACE', '/'))).toMatchObject({ status: 405, code: 'METHOD_NOT_SUPPORTED', headers: { allow: 'GET, HEAD, POST, OPTIONS' } });
  });
});
