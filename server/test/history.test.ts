import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../root';
import type { DeskCustomEvent, StreamMessage, Trade } from '../../shared/index';
import { collector, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
let api: ReturnType<TestDesk['client']>;
/** The event id of every trade made, oldest first. */
const made: Array<{ eventId: string }> = [];

beforeAll(async () => {
  // A replay buffer of 10 events: most of the history below is served from the journal.
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, desk: { hub: { replayCapacity: 10 } } });
  api = desk.client();
  await api.market.setPrice.mutate({ symbol: 'AAA', price: 100 });
  await api.market.setPrice.mutate({ symbol: 'BBB', price: 50 });
  for (let i = 0; i < 40; i++) {
    const symbol = i % 3 === 0 ? 'BBB' : 'AAA';
    const { eventId } = await api.market.executeTrade.mutate({ symbol, side: i % 2 ? 'sell' : 'buy', qty: 1 + (i % 4), agentId: i % 5 === 0 ? 'bot' : undefined });
    // Other topics' commits in between.
    if (i % 7 === 0) await api.feeds.broadcastCustom.mutate({ type: 'between', data: i });
    made.push({ eventId: eventId! });
  }
  const live = desk.app.desk.topics.trades.buffer;
  expect(live.floor).toBeGreaterThan(Number(made[0]!.eventId));
});
afterAll(() => desk.close());

/** Pages through `history.trades` with `input` until `next` is null. */
async function pageAll(input: Parameters<typeof api.history.trades.query>[0] & object) {
  const items: Array<{ eventId: string; item: Trade }> = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Awaited<ReturnType<typeof api.history.trades.query>> = await api.history.trades.query({ ...input, cursor });
    items.push(...page.items);
    if (page.next === null) return items;
    cursor = page.next;
  }
  throw new Error('history did not end in 100 pages');
}

describe('history over WebSocket', () => {
  it('pages back through every trade once, newest first, from memory and the journal', async () => {
    const items = await pageAll({ limit: 7 });
    expect(items.map((i) => i.eventId)).toEqual(made.map((m) => m.eventId).reverse());
    expect(new Set(items.map((i) => i.item.id)).size).toBe(40);
    // The same trades the mutations made: market.trades (the live view) agrees on the newest.
    const recent = await api.market.trades.query();
    expect(items.slice(0, recent.length).map((i) => i.item)).toEqual([...recent].reverse());
  });

  it('takes the subscription filters and a time range, oldest first', async () => {
    const all = await pageAll({ limit: 500 });
    const bot = await pageAll({ agentId: 'bot', symbols: ['bbb'], order: 'oldest', limit: 2 });
    expect(bot.map((i) => i.item.id)).toEqual(
      all
        .filter((i) => i.item.agentId === 'bot' && i.item.symbol === 'BBB')
        .map((i) => i.item.id)
        .reverse(),
    );
    expect(bot.length).toBeGreaterThan(0);
    const middle = all[20]!.item.ts;
    const since = await pageAll({ from: middle, limit: 9 });
    expect(since.map((i) => i.item.id)).toEqual(all.filter((i) => i.item.ts >= middle).map((i) => i.item.id));
    const between = await pageAll({ before: all[5]!.eventId, after: all[15]!.eventId });
    expect(between.map((i) => i.eventId)).toEqual(all.slice(6, 15).map((i) => i.eventId));
  });

  it('has one query per log topic, each with its filters', async () => {
    const custom = await api.history.custom.query({ type: 'between' });
    expect(custom.items.map((i) => i.item.data)).toEqual([35, 28, 21, 14, 7, 0]);
    expect(custom.next).toBeNull();
    for (const query of [api.history.decisions, api.history.signals, api.history.notifications, api.history.systemAlerts, api.history.metrics]) {
      const page = await query.query();
      expect(page).toEqual({ items: [], next: null, floor: expect.stringMatching(/^\d+$/) });
    }
  });

  it('refuses bad input with BAD_REQUEST and says which field', async () => {
    const cases: Array<[object, string, RegExp]> = [
      [{ limit: 0 }, 'limit', /expected number to be >=1/i],
      [{ limit: 501 }, 'limit', /<=500/],
      [{ cursor: 'abc' }, 'cursor', /cursor must be a page's `next`/],
      [{ from: 10, to: 5 }, 'to', /`to` must be after `from`/],
      [{ before: '5', after: '9' }, 'after', /`after` must be an older event id/],
      [{ order: 'sideways' }, 'order', /newest|oldest/],
      [{ symbols: ['not a symbol!'] }, 'symbols', /symbol/],
    ];
    for (const [input, field, message] of cases) {
      const error = await api.history.trades.query(input as never).then(
        () => null,
        (e: unknown) => e as TRPCClientError<AppRouter>,
      );
      expect(error, JSON.stringify(input)).toBeInstanceOf(TRPCClientError);
      expect(error!.data?.code).toBe('BAD_REQUEST');
      expect(error!.message).toMatch(message);
      expect(Object.keys(error!.data?.zodError?.fieldErrors ?? {})).toContain(field);
    }
  });

  it('says a cursor from before the retention floor is no longer retained', async () => {
    const page = await api.history.trades.query({ limit: 1 });
    const floor = page.floor;
    const error = await api.history.trades.query({ cursor: `${floor}:0` }).then(
      () => null,
      (e: unknown) => e as TRPCClientError<AppRouter>,
    );
    expect(error?.data?.code).toBe('NOT_FOUND');
    expect(error?.message).toMatch(/no longer retained/);
  });

  it('answers over the WebSocket too, each item under the event id its subscription delivered it with', async () => {
    const wsClient = createWSClient({ url: desk.app.url.replace(/^http/, 'ws') + '/trpc', WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
    const ws = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    try {
      const got = collector<StreamMessage<DeskCustomEvent>>();
      const sub = ws.feeds.onCustom.subscribe({ type: 'ws', limit: 0 }, got);
      await got.until((m) => m.length === 1);
      for (let i = 0; i < 5; i++) await api.feeds.broadcastCustom.mutate({ type: 'ws', data: i });
      await got.until((m) => m.length === 6);
      sub.unsubscribe();
      const delivered = got.messages.slice(1).map((m) => ({ eventId: m.id, item: (m.data as { items: DeskCustomEvent[] }).items[0] }));
      const pages = [await ws.history.custom.query({ type: 'ws', limit: 3 })];
      pages.push(await ws.history.custom.query({ type: 'ws', limit: 3, cursor: pages[0]!.next }));
      expect(pages[1]!.next).toBeNull();
      expect(pages.flatMap((p) => p.items)).toEqual(delivered.reverse());
    } finally {
      wsClient.close();
    }
  });
});
