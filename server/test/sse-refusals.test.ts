import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { collector, eventually, startTestDesk, type TestDesk } from './harness';

const ADMIN = 'admin-token-0123456789';
const VIEWER = 'viewer-token-0123456789';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens: { [ADMIN]: 'admin', [VIEWER]: 'viewer' } } });
});
afterAll(() => desk.close());

const params = (token: string) => `connectionParams=${encodeURIComponent(JSON.stringify({ token }))}`;
const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;

async function open(path: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${desk.app.url}/trpc/${path}`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  return { res, close: () => controller.abort() };
}

describe('SSE refusals', () => {
  it.each([
    ['no token', 'system.onHealth', 401, 'UNAUTHORIZED'],
    ['an unknown token', `system.onHealth?${params('not-a-token-at-all-0000')}`, 401, 'UNAUTHORIZED'],
    ['a viewer on an admin stream', `system.onStats?${params(VIEWER)}`, 403, 'FORBIDDEN'],
    ['a bad input', `feeds.onCustom?${params(VIEWER)}&${input({ type: 7 })}`, 400, 'BAD_REQUEST'],
    ['a bad input with a Last-Event-ID', `feeds.onCustom?${params(VIEWER)}&${input({ type: 'x', limit: -5 })}&lastEventId=12`, 400, 'BAD_REQUEST'],
  ])('answers %s with HTTP %i and a typed error, before any stream', async (_, path, status, code) => {
    const { res } = await open(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { error: { message: string; data: { code: string; httpStatus: number } } };
    expect(body.error.data).toMatchObject({ code, httpStatus: status });
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  it('takes the token as a Bearer header too, and opens the stream when allowed', async () => {
    for (const [path, headers] of [
      [`system.onStats?${params(ADMIN)}`, {}],
      ['system.onStats', { authorization: `bearer ${ADMIN}` }],
      [`feeds.onCustom?${params(VIEWER)}&${input({ type: 'x' })}`, { 'last-event-id': '1' }],
    ] as const) {
      const { res, close } = await open(path, headers);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      close();
    }
  });

  it('the Node client sends its token as a header, never in the URL', async () => {
    const urls: string[] = [];
    class Recording extends EventSource {
      constructor(url: string | URL, init?: ConstructorParameters<typeof EventSource>[1]) {
        urls.push(String(url));
        super(url, init);
      }
    }
    const got = collector<StreamMessage<DeskCustomEvent>>();
    const sub = desk.client({ transport: 'sse', token: VIEWER, EventSource: Recording as never }).feeds.onCustom.subscribe({ type: 'hdr', limit: 0 }, got);
    await got.until((m) => m.length > 0);
    sub.unsubscribe();
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      // The URL says only what the client is (`kind`, for presence); the token is not in it.
      const params = new URL(url).searchParams.get('connectionParams');
      expect(params === null ? {} : JSON.parse(params)).toEqual({ kind: 'script' });
      expect(url).not.toMatch(/token|viewer-/i);
    }
  });

  it('leaves a well-behaved SSE client working, and tells an unauthorized one why', async () => {
    const good = collector<StreamMessage<DeskCustomEvent>>();
    const sub = desk.client({ transport: 'sse', token: VIEWER }).feeds.onCustom.subscribe({ type: 'sse-good', limit: 0 }, good);
    await good.until((m) => m.length > 0);
    await desk.client({ token: ADMIN }).feeds.broadcastCustom.mutate({ type: 'sse-good', data: 1 });
    await good.until((m) => m.length > 1);
    sub.unsubscribe();

    const refused = collector<unknown>();
    const bad = desk.client({ transport: 'sse', token: VIEWER }).system.onStats.subscribe(undefined, refused as never);
    await eventually(() => refused.errors.length > 0, 5000, 'an error for the refused stream');
    bad.unsubscribe();
    expect(refused.errors[0]).toMatchObject({ data: { code: 'FORBIDDEN', httpStatus: 403 } });
    expect(refused.messages).toHaveLength(0);
  });
});

describe('SSE subscription limit', () => {
  let limited: TestDesk;
  beforeAll(async () => {
    limited = await startTestDesk({ statsIntervalMs: 3_600_000, limits: { maxSubscriptions: 2 } });
  });
  afterAll(() => limited.close());

  it('answers one stream too many on the same connection with 429 before it starts, and takes it once one closes', async () => {
    const openOne = async () => {
      const controller = new AbortController();
      const res = await fetch(`${limited.app.url}/trpc/feeds.onCustom?${input({ type: 'lim', limit: 0 })}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
      return { res, close: () => controller.abort() };
    };
    const first = await openOne();
    const second = await openOne();
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    // Each stream counts once its procedure has run (its first event is the snapshot).
    for (const { res } of [first, second]) {
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('snapshot')) text += new TextDecoder().decode((await reader.read()).value);
      reader.releaseLock();
    }
    const third = await openOne();
    expect(third.res.status).toBe(429);
    expect(await third.res.json()).toMatchObject({ error: { data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 } } });
    first.close();
    await expect
      .poll(async () => {
        const next = await openOne();
        next.close();
        return next.res.status;
      }, { timeout: 5000 })
      .toBe(200);
    second.close();
  });
});

describe('SSE and the caller request budget', () => {
  let budgeted: TestDesk;
  beforeAll(async () => {
    budgeted = await startTestDesk({ statsIntervalMs: 3_600_000, limits: { callerRequestsPerSecond: 0.01, callerRequestBurst: 4 } });
  });
  afterAll(() => budgeted.close());

  it('spends one request of the budget per SSE stream, not two, and refuses past it with 429 before the stream', async () => {
    const opened: Array<() => void> = [];
    const openOne = async () => {
      const controller = new AbortController();
      const res = await fetch(`${budgeted.app.url}/trpc/feeds.onCustom?${input({ type: 'budget', limit: 0 })}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
      opened.push(() => controller.abort());
      return res.status;
    };
    try {
      expect([await openOne(), await openOne()]).toEqual([200, 200]);
      // Two of the four left: two plain queries, then the budget is spent.
      const query = () => fetch(`${budgeted.app.url}/trpc/system.health`).then((r) => r.status);
      expect([await query(), await query()]).toEqual([200, 200]);
      expect(await openOne()).toBe(429);
    } finally {
      for (const close of opened) close();
    }
  });
});
