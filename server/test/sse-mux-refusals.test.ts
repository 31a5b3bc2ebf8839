import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { sseMux } from '../../shared/sse-mux';
import { collector, eventually, startTestDesk, type TestDesk } from './harness';

/**
 * What the multiplexed SSE endpoint refuses, and how: a typed error with tRPC's shape and nothing
 * changed, whoever sends it, before or after authentication; and a reader that stops reading.
 */
const ALICE = 'alice-viewer-token-0123456789';
const BOB = 'bob-viewer-token-0123456789';
const ADMIN = 'admin-token-0123456789';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({
    statsIntervalMs: 3_600_000,
    auth: { tokens: { [ALICE]: { role: 'viewer', name: 'alice' }, [BOB]: 'viewer', [ADMIN]: 'admin' } },
    limits: { maxSubscriptions: 3, maxBatch: 10 },
    highWaterMark: 64 * 1024,
    pingMs: 200,
    desk: { hub: { maxQueue: 200 } },
  });
});
afterAll(() => desk.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Opens a stream with fetch and reads its frames. */
async function openStream(headers: Record<string, string>, query = '') {
  const controller = new AbortController();
  const res = await fetch(`${desk.app.url}/sse-mux${query}`, { headers, signal: controller.signal });
  const frames: any[] = [];
  let waiters: Array<() => void> = [];
  if (res.ok) {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (event.startsWith('data: ')) frames.push(JSON.parse(event.slice(6)));
            for (const w of waiters) w();
          }
        }
      } catch {
        // closed by the test
      }
    })();
  }
  const until = (check: (frames: any[]) => boolean) => eventually(() => check(frames), 5000, 'the frames expected');
  if (res.ok) await until((f) => f.length > 0);
  waiters = [];
  return { res, frames, until, id: frames[0]?.stream as string, close: () => controller.abort() };
}

async function post(body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${desk.app.url}/sse-mux`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('the multiplexed SSE endpoint refuses', () => {
  it('a stream without a valid token, or with connectionParams that do not parse, before it opens', async () => {
    const none = await openStream({});
    expect(none.res.status).toBe(401);
    expect((await none.res.json()).error).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    const unknown = await openStream(bearer('not-a-token-at-all-0000'));
    expect(unknown.res.status).toBe(401);
    const garbage = await openStream({}, '?connectionParams=%7Bnot-json');
    expect(garbage.res.status).toBe(400);
    expect((await garbage.res.json()).error).toMatchObject({ data: { code: 'PARSE_ERROR' } });
    // A token in the URL is how a browser's EventSource authenticates: accepted here.
    const inUrl = await openStream({}, `?connectionParams=${encodeURIComponent(JSON.stringify({ token: ALICE, kind: 'dashboard' }))}`);
    expect(inUrl.res.status).toBe(200);
    expect(inUrl.frames[0]).toMatchObject({ t: 'open', stream: expect.any(String) });
    inUrl.close();
  });

  it('control requests that are malformed, unauthenticated, too large, or name a stream that is not the caller’s', async () => {
    const alice = await openStream(bearer(ALICE));
    const sub = (id: unknown, extra: object = {}) => ({ id, path: 'feeds.onCustom', input: { type: 'r', limit: 0 }, ...extra });
    const cases: Array<[string, unknown, Record<string, string>, number, string]> = [
      ['no token', { stream: alice.id, subscribe: [sub(1)] }, {}, 401, 'UNAUTHORIZED'],
      ['garbage', '}{ not json', bearer(ALICE), 400, 'BAD_REQUEST'],
      ['an array', [1, 2], bearer(ALICE), 400, 'BAD_REQUEST'],
      ['no stream', { subscribe: [sub(1)] }, bearer(ALICE), 400, 'BAD_REQUEST'],
      ['an unknown stream', { stream: 'no-such-stream', subscribe: [sub(1)] }, bearer(ALICE), 404, 'NOT_FOUND'],
      ['another caller’s stream', { stream: alice.id, subscribe: [sub(1)] }, bearer(BOB), 404, 'NOT_FOUND'],
      ['a negative id', { stream: alice.id, subscribe: [sub(-1)] }, bearer(ALICE), 400, 'BAD_REQUEST'],
      ['an object id', { stream: alice.id, subscribe: [sub({})] }, bearer(ALICE), 400, 'BAD_REQUEST'],
      ['no path', { stream: alice.id, subscribe: [{ id: 1 }] }, bearer(ALICE), 400, 'BAD_REQUEST'],
      ['a numeric lastEventId', { stream: alice.id, subscribe: [sub(1, { lastEventId: 5 })] }, bearer(ALICE), 400, 'BAD_REQUEST'],
      ['an id twice', { stream: alice.id, subscribe: [sub(1), sub(1)] }, bearer(ALICE), 400, 'BAD_REQUEST'],
      ['unsubscribe not a list', { stream: alice.id, unsubscribe: 'all' }, bearer(ALICE), 400, 'BAD_REQUEST'],
      ['more entries than DESK_MAX_BATCH', { stream: alice.id, unsubscribe: Array.from({ length: 11 }, (_, i) => i) }, bearer(ALICE), 400, 'BAD_REQUEST'],
    ];
    for (const [name, body, headers, status, code] of cases) {
      const answer = await post(body, headers);
      expect({ name, status: answer.status, code: answer.body.error?.data?.code }).toEqual({ name, status, code });
      expect(answer.body.error.message).toEqual(expect.any(String));
    }
    // Nothing was started by any of them.
    expect(desk.app.sseMux.streams().find((s) => s.id === alice.id)?.subscriptions).toBe(0);
    expect(alice.frames.filter((f) => f.t !== 'open' && f.t !== 'ping')).toEqual([]);

    // A body that goes on past DESK_MAX_BODY_BYTES without declaring its length.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${desk.app.url}/sse-mux`, { method: 'POST', headers: { ...bearer(ALICE), 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 20 && req.write(chunk)) sent++;
        if (sent < 20) req.once('drain', pump);
        else req.end();
      };
      pump();
    });
    expect(status).toBe(413);

    // Alice's stream still works, and a second use of a running id is refused.
    expect((await post({ stream: alice.id, subscribe: [sub(1)] }, bearer(ALICE))).status).toBe(200);
    await alice.until((f) => f.some((x) => x.t === 'data' && x.s === 1));
    expect(alice.frames.find((x) => x.t === 'data' && x.s === 1).data).toEqual({ type: 'snapshot', items: [], resync: false });
    const again = await post({ stream: alice.id, subscribe: [sub(1)] }, bearer(ALICE));
    expect(again).toMatchObject({ status: 400, body: { error: { data: { code: 'BAD_REQUEST' } } } });
    expect((await post({ stream: alice.id, unsubscribe: [1, 99, 'never-started'] }, bearer(ALICE))).status).toBe(200);
    await eventually(() => desk.app.sseMux.streams().find((s) => s.id === alice.id)?.subscriptions === 0, 5000, 'unsubscribed');
    alice.close();
  });

  it('a subscription it cannot serve, on the stream with its id, leaving the others running', async () => {
    const alice = await openStream(bearer(ALICE));
    const ok = (id: number) => ({ id, path: 'feeds.onCustom', input: { type: `ok${id}`, limit: 0 } });
    const answer = await post(
      {
        stream: alice.id,
        subscribe: [
          ok(1),
          { id: 2, path: 'no.suchProcedure' },
          { id: 3, path: 'market.executeTrade', input: {} },
          { id: 4, path: 'feeds.onCustom', input: { type: 7 } },
          { id: 5, path: 'system.onPresence' },
          ok(6),
          ok(7),
          ok(8),
        ],
      },
      bearer(ALICE),
    );
    expect(answer.status).toBe(200);
    await alice.until((f) => f.filter((x) => x.t === 'error').length === 5 && f.filter((x) => x.t === 'data').length === 3);
    // A subscription starts, then its first step checks the limit (as over WebSocket).
    expect(alice.frames.filter((x) => x.t === 'started').map((x) => x.s)).toEqual([1, 6, 7, 8]);
    expect(alice.frames.filter((x) => x.t === 'data').map((x) => x.s)).toEqual([1, 6, 7]);
    const errors = Object.fromEntries(alice.frames.filter((x) => x.t === 'error').map((x) => [x.s, x.error.data.code]));
    // Three subscriptions per stream here (DESK_MAX_SUBSCRIPTIONS): the fourth that starts is refused.
    expect(errors).toEqual({ 2: 'NOT_FOUND', 3: 'NOT_FOUND', 4: 'BAD_REQUEST', 5: 'FORBIDDEN', 8: 'TOO_MANY_REQUESTS' });
    expect(desk.app.sseMux.streams().find((s) => s.id === alice.id)?.subscriptions).toBe(3);
    alice.close();
    await eventually(() => !desk.app.sseMux.streams().some((s) => s.id === alice.id), 5000, 'closed');
  });

  it('through the client: an error with its code for that subscription, the limit per stream not per caller', async () => {
    const api = desk.client({ transport: sseMux(), token: BOB });
    const other = desk.client({ transport: sseMux(), token: BOB });
    const subs = [0, 1, 2, 3].map(() => collector<StreamMessage<DeskCustomEvent>>());
    const handles = subs.map((got) => api.feeds.onCustom.subscribe({ type: 'lim', limit: 0 }, got));
    await eventually(() => subs.filter((g) => g.messages.length === 1).length === 3 && subs.some((g) => g.errors.length === 1), 5000, 'three in, one refused');
    const refused = subs.find((g) => g.errors.length === 1)!;
    expect((refused.errors[0] as { data: { code: string } }).data.code).toBe('TOO_MANY_REQUESTS');
    // The same caller's other stream (another tab) has its own three.
    const more = collector<StreamMessage<DeskCustomEvent>>();
    const moreSub = other.feeds.onCustom.subscribe({ type: 'lim', limit: 0 }, more);
    await more.until((m) => m.length === 1);
    const bad = collector<StreamMessage<DeskCustomEvent>>();
    other.feeds.onCustom.subscribe({ type: 7 } as never, bad);
    await eventually(() => bad.errors.length === 1, 5000, 'bad input refused');
    expect((bad.errors[0] as { data: { code: string } }).data.code).toBe('BAD_REQUEST');
    for (const h of [...handles, moreSub]) h.unsubscribe();

    // A stream refused for its token: every subscription ends with UNAUTHORIZED, none is retried.
    const stranger = desk.client({ transport: sseMux(), token: 'not-a-token-at-all-0000', retryDelayMs: () => 50 });
    const refused2 = collector<StreamMessage<DeskCustomEvent>>();
    stranger.feeds.onCustom.subscribe({ type: 'lim' }, refused2);
    await eventually(() => refused2.errors.length === 1, 5000, 'refused');
    expect((refused2.errors[0] as { data: { code: string } }).data.code).toBe('UNAUTHORIZED');
  });
});

describe('a multiplexed stream that stops reading', () => {
  it('does not grow server memory without bound or hold up others, and is closed', async () => {
    // A raw client that reads the open event and then stops reading its socket.
    const slow = await new Promise<{ id: string; pause(): void; destroy(): void }>((resolve, reject) => {
      const req = request(`${desk.app.url}/sse-mux`, { headers: bearer(ALICE) }, (res) => {
        res.once('data', (chunk: Buffer) => {
          const id = JSON.parse(String(chunk).slice(6)).stream as string;
          resolve({ id, pause: () => res.socket.pause(), destroy: () => req.destroy() });
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect((await post({ stream: slow.id, subscribe: [{ id: 1, path: 'feeds.onCustom', input: { type: 'slow', limit: 0 } }] }, bearer(ALICE))).status).toBe(200);
    const fast = collector<StreamMessage<DeskCustomEvent>>();
    const sub = desk.client({ transport: sseMux(), token: BOB }).feeds.onCustom.subscribe({ type: 'slow', limit: 0 }, fast);
    await fast.until((m) => m.length === 1);
    slow.pause();

    const payload = 'x'.repeat(4096);
    const total = 4000; // ~16 MB while the slow client reads nothing
    let maxBuffered = 0;
    for (let i = 0; i < total; i++) {
      desk.app.desk.activity.broadcastCustom({ type: 'slow', data: { i, payload } });
      if (i % 50 === 49) {
        await new Promise((resolve) => setImmediate(resolve));
        maxBuffered = Math.max(maxBuffered, desk.app.sseMux.streams().find((s) => s.id === slow.id)?.buffered ?? 0);
      }
    }
    const items = () => fast.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items : []));
    await fast.until(() => items().length === total, 20_000);
    expect(items().map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: total }, (_, i) => i));
    // The high-water mark plus at most one merged message of the bounded queue.
    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThan(64 * 1024 + 200 * 4200 + 64 * 1024);
    // Still over the high-water mark at two pings in a row: closed.
    await eventually(() => !desk.app.sseMux.streams().some((s) => s.id === slow.id), 5000, 'the stalled stream closed');
    slow.destroy();
    sub.unsubscribe();
  }, 40_000);
});

describe('a revoked token', () => {
  it('has its multiplexed stream cut, and its subscriptions end refused when the client comes back; others go on', async () => {
    const alice = collector<StreamMessage<DeskCustomEvent>>();
    const bob = collector<StreamMessage<DeskCustomEvent>>();
    desk.client({ transport: sseMux(), token: ALICE, retryDelayMs: () => 50 }).feeds.onCustom.subscribe({ type: 'rev', limit: 0 }, alice);
    desk.client({ transport: sseMux(), token: BOB }).feeds.onCustom.subscribe({ type: 'rev', limit: 0 }, bob);
    await alice.until((m) => m.length === 1);
    await bob.until((m) => m.length === 1);
    const before = desk.app.sseMux.streams().length;

    await desk.client({ token: ADMIN }).system.revokeToken.mutate({ id: 'alice' });
    await eventually(() => alice.errors.length === 1, 5000, 'alice refused');
    expect((alice.errors[0] as { data: { code: string } }).data.code).toBe('UNAUTHORIZED');
    expect(desk.app.sseMux.streams().length).toBe(before - 1);
    desk.app.desk.activity.broadcastCustom({ type: 'rev', data: 1 });
    await bob.until((m) => m.length === 2);
    expect(alice.messages).toHaveLength(1);
  });
});
