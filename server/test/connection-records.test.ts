import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, startTestDesk, type TestDesk } from './harness';

/**
 * What an idle connection holds was cut to fields of its records (request budget, subscription
 * table, flags) and records made on first use (the mutation budget): through a real socket
 * speaking tRPC's protocol, the desk still answers, limits and releases as it did.
 */
let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({
    statsIntervalMs: 3_600_000,
    limits: { requestBurst: 6, requestsPerSecond: 25, mutationBurst: 3, mutationsPerSecond: 1, maxSubscriptions: 3 },
  });
});
afterAll(() => desk.close());

type Frame = { id: number | string | null; result?: { type: string; data?: any }; error?: { message: string; data: { code: string } } };

async function open(): Promise<{ socket: WebSocket; frames: Frame[]; until: (check: (f: Frame[]) => boolean, what: string) => Promise<void> }> {
  const socket = new WebSocket(desk.app.wsUrl);
  const frames: Frame[] = [];
  socket.on('message', (raw) => frames.push(JSON.parse(String(raw))));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, frames, until: (check, what) => eventually(() => check(frames), 10_000, what) };
}

const subscribe = (id: number | string, type: string) => JSON.stringify({ id, method: 'subscription', params: { path: 'feeds.onCustom', input: { type } } });
const of = (frames: Frame[], id: number | string) => frames.filter((f) => f.id === id);
const customs = () => desk.app.desk.hub.subscriptionCounts().custom ?? 0;

describe('connection records', () => {
  it('keeps streams by request id: one, a second, a duplicate refused, a stopped id reused, all released on close', async () => {
    const before = customs();
    const { socket, frames, until } = await open();
    socket.send(subscribe(1, 'a'));
    await until((f) => of(f, 1).some((x) => x.result?.type === 'data'), 'first stream started');
    socket.send(subscribe(1, 'b'));
    await until((f) => of(f, 1).some((x) => x.error), 'duplicate refused');
    expect(of(frames, 1).find((x) => x.error)!.error!.data.code).toBe('BAD_REQUEST');
    expect(of(frames, 1).find((x) => x.error)!.error!.message).toBe('Duplicate id 1');
    socket.send(subscribe('two', 'a'));
    await until((f) => of(f, 'two').some((x) => x.result?.type === 'data'), 'second stream started');
    expect(customs()).toBe(before + 2);

    const { hub, topics } = desk.app.desk;
    hub.commit((tx) => tx.append((topics as any).custom, { id: 'r1', type: 'a', data: 1, ts: 1 }));
    await until((f) => [1, 'two'].every((id) => of(f, id).some((x) => x.result?.data?.data?.type === 'append')), 'both streams got the event');

    socket.send(JSON.stringify({ id: 1, method: 'subscription.stop' }));
    await until((f) => of(f, 1).some((x) => x.result?.type === 'stopped'), 'first stream stopped');
    expect(customs()).toBe(before + 1);
    socket.send(subscribe(1, 'a'));
    await until((f) => of(f, 1).filter((x) => x.result?.type === 'started').length === 2, 'id 1 used again');
    expect(customs()).toBe(before + 2);

    socket.close();
    await eventually(() => customs() === before, 5_000, 'streams released on close');
    expect(desk.app.addresses()).toBe(0);
    expect(desk.app.presence.local().counts).toEqual({ dashboard: 0, agent: 0, script: 0 });
  });

  it('rate-limits the first mutations after a subscription by the connection’s mutation budget', async () => {
    const { socket, frames, until } = await open();
    socket.send(subscribe(1, 'm'));
    await until((f) => of(f, 1).some((x) => x.result?.type === 'data'), 'subscribed');
    const calls = [10, 11, 12, 13, 14].map((id) => ({ id, method: 'mutation', params: { path: 'feeds.broadcastCustom', input: { type: 'm', data: id } } }));
    socket.send(JSON.stringify(calls));
    await until((f) => calls.every((c) => of(f, c.id).length === 1), 'every mutation answered');
    const refused = calls.filter((c) => of(frames, c.id)[0]!.error?.data.code === 'TOO_MANY_REQUESTS');
    const ok = calls.filter((c) => of(frames, c.id)[0]!.result !== undefined);
    // A burst of 3 at 1/s: three pass, the rest are refused.
    expect(ok.map((c) => c.id)).toEqual([10, 11, 12]);
    expect(refused.map((c) => c.id)).toEqual([13, 14]);
    socket.close();
  });

  it('holds frames past the connection’s request budget until it refills, and answers them all', async () => {
    const throttled = desk.app.rejected.throttled;
    const { socket, frames, until } = await open();
    const started = performance.now();
    // A burst of 6 at 25/s: 16 single-call frames need 10 more tokens, at least 0.4 s of refill.
    for (let id = 1; id <= 16; id++) socket.send(JSON.stringify({ id, method: 'query', params: { path: 'market.prices' } }));
    await until((f) => f.length === 16, 'every query answered');
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    expect(frames.map((f) => f.id)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(frames.every((f) => f.result !== undefined)).toBe(true);
    expect(desk.app.rejected.throttled).toBeGreaterThan(throttled);
    socket.close();
  });
});
