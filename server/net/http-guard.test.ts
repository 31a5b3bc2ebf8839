import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { refusalOf } from './http-guard';

const request = (method: string, url: string, headers: Record<string, string> = { host: 'localhost' }) => ({ method, url, headers }) as IncomingMessage;

describe('refusalOf', () => {
  it('lets well-formed requests through', () => {
    for (const method of ['GET', 'HEAD', 'POST', 'OPTIONS']) expect(refusalOf(request(method, '/trpc/system.health?input=%7B%7D'), 1024)).toBeNull();
  });

  it('refuses targets that are not a path, and bad Host headers, with 400', () => {
    expect(refusalOf(request('GET', '//[::1'), 1024)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(refusalOf(request('GET', '/', { host: '[' }), 1024)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('refuses broken percent-encoding in the path with 400', () => {
    expect(refusalOf(request('GET', '/trpc/%E0%A4%A'), 1024)).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: expect.stringContaining('percent-encoding') });
  });

  it('refuses a declared body over the limit with 413 and closes the connection instead of reading it', () => {
    expect(refusalOf(request('POST', '/trpc/x', { host: 'localhost', 'content-length': '1024' }), 1024)).toBeNull();
    expect(refusalOf(request('POST', '/trpc/x', { host: 'localhost', 'content-length': '1025' }), 1024)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', headers: { connection: 'close' } });
  });

  it('refuses other methods with 405 and says which are allowed', () => {
    expect(refusalOf(request('TRACE', '/'), 1024)).toMatchObject({ status: 405, code: 'METHOD_NOT_SUPPORTED', headers: { allow: 'GET, HEAD, POST, OPTIONS' } });
  });
});
