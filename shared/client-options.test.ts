import { describe, expect, it } from 'vitest';
import { deskClientOptionsProblem } from './client-options';
import { sseMux } from './sse-mux';

class FakeSocket {}
const browser = { WebSocket: FakeSocket, EventSource: FakeSocket };

describe('deskClientOptionsProblem', () => {
  it('accepts an http or https url, with a trailing /trpc or not', () => {
    expect(deskClientOptionsProblem({ url: 'http://127.0.0.1:3000' }, browser)).toBeNull();
    expect(deskClientOptionsProblem({ url: 'https://desk.example/trpc', transport: 'sse', mutationRetries: 0 }, browser)).toBeNull();
  });

  it('names the url when it is not an http address', () => {
    expect(deskClientOptionsProblem({ url: 'ws://127.0.0.1:3000' }, browser)).toMatch(/^url must be the desk's http:\/\/ or https:\/\/ address .* not "ws:\/\/127\.0\.0\.1:3000"$/);
    expect(deskClientOptionsProblem({ url: '127.0.0.1:3000' }, browser)).toMatch(/^url must be/);
    expect(deskClientOptionsProblem({ url: undefined }, browser)).toMatch(/not undefined$/);
  });

  it('takes the desk limits in whole bytes of at least 4,096, and names the one that is not', () => {
    expect(deskClientOptionsProblem({ url: 'http://x', limits: { maxFrameBytes: 1 << 20, maxBodyBytes: 4096 } }, browser)).toBeNull();
    expect(deskClientOptionsProblem({ url: 'http://x', limits: { maxFrameBytes: 100 } }, browser)).toBe("limits.maxFrameBytes must be the desk's limit in bytes, a whole number of at least 4096, not 100");
    expect(deskClientOptionsProblem({ url: 'http://x', limits: { maxBodyBytes: '1mb' } }, browser)).toMatch(/^limits\.maxBodyBytes must be .* not 1mb$/);
    expect(deskClientOptionsProblem({ url: 'http://x', limits: 65536 }, browser)).toBe('limits must be { maxFrameBytes, maxBodyBytes }, not 65536');
  });

  it('refuses an unknown transport', () => {
    expect(deskClientOptionsProblem({ url: 'http://x', transport: 'tcp' }, browser)).toBe("transport must be 'ws', 'sse' or a transport such as sseMux() from @livedesk/client/sse-mux, not \"tcp\"");
    expect(deskClientOptionsProblem({ url: 'http://x', transport: { name: 'sse-mux' } }, browser)).toMatch(/^transport must be .* not \{"name":"sse-mux"\}$/);
  });

  it("points 'sse-mux' to its own entry", () => {
    expect(deskClientOptionsProblem({ url: 'http://x', transport: 'sse-mux' }, browser)).toMatch(/import \{ sseMux \} from '@livedesk\/client\/sse-mux'.*transport: sseMux\(\)/);
  });

  it('says how to get a WebSocket or an EventSource where the runtime has none', () => {
    expect(deskClientOptionsProblem({ url: 'http://x' }, {})).toMatch(/no WebSocket: pass one .*@livedesk\/client\/node/);
    expect(deskClientOptionsProblem({ url: 'http://x', WebSocket: FakeSocket }, {})).toBeNull();
    expect(deskClientOptionsProblem({ url: 'http://x', transport: 'sse' }, {})).toMatch(/no EventSource: pass one/);
    expect(deskClientOptionsProblem({ url: 'http://x', transport: 'sse', EventSource: FakeSocket }, {})).toBeNull();
    expect(deskClientOptionsProblem({ url: 'http://x', transport: sseMux() }, {})).toMatch(/no EventSource: pass one/);
    expect(deskClientOptionsProblem({ url: 'http://x', transport: sseMux(), EventSource: FakeSocket }, {})).toBeNull();
  });

  it('refuses a negative or fractional number of retries', () => {
    expect(deskClientOptionsProblem({ url: 'http://x', mutationRetries: -1 }, browser)).toMatch(/^mutationRetries must be a whole number/);
    expect(deskClientOptionsProblem({ url: 'http://x', mutationRetries: 1.5 }, browser)).toMatch(/not 1\.5$/);
  });
});
