import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { collector, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000 });
});
afterAll(() => desk.close());

describe('SSE transport', () => {
  it('streams the same snapshot and changes with ids, and resumes from lastEventId', async () => {
    const api = desk.client({ transport: 'sse' });
    const got = collector<StreamMessage<DeskCustomEvent>>();
    const sub = api.feeds.onCustom.subscribe({ type: 'sse', limit: 0 }, got);
    await got.until((m) => m.length === 1);
    expect(got.messages[0]!.data).toEqual({ type: 'snapshot', items: [], resync: false });
    const { eventId } = await api.feeds.broadcastCustom.mutate({ type: 'sse', data: 1 });
    await got.until((m) => m.length === 2);
    expect(got.messages[1]).toMatchObject({ id: eventId, data: { type: 'append', items: [{ data: 1 }] } });
    sub.unsubscribe();

    await api.feeds.broadcastCustom.mutate({ type: 'sse', data: 2 });
    await api.feeds.broadcastCustom.mutate({ type: 'sse', data: 3 });
    const resumed = collector<StreamMessage<DeskCustomEvent>>();
    const sub2 = api.feeds.onCustom.subscribe({ type: 'sse', lastEventId: eventId }, resumed);
    await resumed.until((m) => m.length === 1);
    expect(resumed.messages[0]!.data).toMatchObject({ type: 'append', items: [{ data: 2 }, { data: 3 }] });
    sub2.unsubscribe();
  });
});
