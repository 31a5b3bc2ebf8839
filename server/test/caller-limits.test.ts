import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomEvent, StreamMessage } from '../../shared/index';
import { collector, startTestDesk, type TestDesk } from './harness';

const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';
const ADMIN = 'admin-token-0123456789ab';

/** Limits go by caller (token) first and by address second; every test client here shares 127.0.0.1. */
describe('limits per caller', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({
      statsIntervalMs: 3_600_000,
      auth: { tokens: { [VIEWER]: 'viewer', [OPERATOR]: 'operator', [ADMIN]: 'admin' } },
      limits: { maxSubscriptions: 3, mutationsPerSecond: 1, mutationBurst: 5 },
    });
  });
  afterAll(() => desk.close());

  it('a viewer holding its SSE streams up to the limit does not stop an admin’s', async () => {
    const viewer = desk.client({ transport: 'sse', token: VIEWER });
    const held = [0, 1, 2].map(() => collector<StreamMessage<CustomEvent>>());
    const subs = held.map((got, i) => viewer.feeds.onCustom.subscribe({ type: `held-${i}`, limit: 0 }, got));
    await Promise.all(held.map((got) => got.until((m) => m.length > 0)));
    const extra = collector<StreamMessage<CustomEvent>>();
    subs.push(viewer.feeds.onCustom.subscribe({ type: 'one-too-many', limit: 0 }, extra));
    await expect.poll(() => extra.errors.length).toBeGreaterThan(0);
    expect(String(extra.errors[0])).toMatch(/at most 3 subscriptions/);

    const admin = desk.client({ transport: 'sse', token: ADMIN });
    const mine = collector<StreamMessage<CustomEvent>>();
    subs.push(admin.feeds.onCustom.subscribe({ type: 'admin', limit: 0 }, mine));
    await mine.until((m) => m.length > 0);
    expect(mine.errors).toEqual([]);
    for (const sub of subs) sub.unsubscribe();
  });

  it('an operator spending its HTTP mutation bucket leaves the admin’s whole', async () => {
    const operator = desk.client({ token: OPERATOR });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => operator.feeds.broadcastCustom.mutate({ type: 'op', data: i })));
    expect(results.filter((r) => r.status === 'rejected' && /mutations\/s/.test(String(r.reason))).length).toBeGreaterThanOrEqual(4);
    const admin = desk.client({ token: ADMIN });
    const mine = await Promise.all(Array.from({ length: 5 }, (_, i) => admin.feeds.broadcastCustom.mutate({ type: 'admin', data: i })));
    expect(mine.every((r) => typeof r.eventId === 'string')).toBe(true);
  });
});
