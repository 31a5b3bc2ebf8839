import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../shared/index';
import type { WsTransport } from '../app';
import { collector, sleep, startTestDesk, type Received, type TestDesk } from '../test/harness';
import { FastSubscription } from './fast-subscription';

/**
 * One scripted scenario over both WebSocket transports, received by the stock tRPC client: both
 * must deliver exactly the same messages with the same ids. Commits happen in synchronous steps
 * with a pause between them, so both transports see the same batches.
 */
const FIRST_ID = 1_000_000;
const STEP_MS = 60;

const price = (symbol: string, value: number) => ({
  symbol,
  price: value,
  bid: value - 0.01,
  ask: value + 0.01,
  change: 0,
  changePct: 0,
  volume: value * 10,
  ts: 1,
});
const trade = (n: number, symbol: string, agentId: string | null) => ({
  id: `t${n}`,
  symbol,
  side: 'buy',
  qty: n,
  price: n,
  agentId,
  ts: 1,
});
const custom = (n: number, type: string) => ({ id: `c${n}`, type, data: n, ts: 1 });

type Streams = Record<string, Received<StreamMessage<unknown>>[]>;

async function scenario(transport: WsTransport): Promise<{ streams: Streams; fast: boolean }> {
  const desk: TestDesk = await startTestDesk({
    transport,
    statsIntervalMs: 3_600_000,
    desk: { hub: { firstId: FIRST_ID, maxQueue: 10 } },
  });
  try {
    const { hub, topics } = desk.app.desk;
    const t = topics as any;
    const commit = (write: (tx: any) => void) => hub.commit(write);

    // Some history before anyone subscribes.
    commit((tx) => tx.upsert(t.prices, price('AAA', 1), price('BBB', 2), price('CCC', 3)));
    for (let i = 0; i < 8; i++) commit((tx) => tx.append(t.custom, custom(i, i % 2 ? 'odd' : 'even')));
    commit((tx) => tx.append(t.trades, trade(1, 'AAA', 'ag1'), trade(2, 'BBB', null)));
    const resumeFrom = String(hub.lastId - 3);

    const streams: Streams = {};
    const subs: Array<{ unsubscribe(): void }> = [];
    const a = desk.client();
    const b = desk.client();
    const watch = (name: string, start: (got: ReturnType<typeof collector<StreamMessage<unknown>>>) => { unsubscribe(): void }) => {
      const got = collector<StreamMessage<unknown>>();
      streams[name] = got.messages;
      subs.push(start(got));
      return got;
    };
    const waiting = [
      watch('prices.all', (got) => a.market.onPrices.subscribe(undefined, got as never)),
      watch('prices.AB.a', (got) => a.market.onPrices.subscribe({ symbols: ['AAA', 'BBB'] }, got as never)),
      watch('prices.AB.b', (got) => b.market.onPrices.subscribe({ symbols: ['BBB', 'AAA'] }, got as never)),
      watch('trades.AAA', (got) => b.market.onTrades.subscribe({ symbols: ['AAA'], limit: 5 }, got as never)),
      watch('custom.odd', (got) => a.feeds.onCustom.subscribe({ type: 'odd', limit: 2 }, got as never)),
      watch('custom.all.resume', (got) => b.feeds.onCustom.subscribe({ lastEventId: resumeFrom }, got as never)),
      watch('custom.too-old', (got) => a.feeds.onCustom.subscribe({ lastEventId: '5', limit: 3 }, got as never)),
      watch('prices.future', (got) => b.market.onPrices.subscribe({ symbols: ['CCC'], lastEventId: String(FIRST_ID + 10_000) }, got as never)),
    ];
    for (const got of waiting) await got.until((m) => m.length === 1);

    // Steps of changes, appends and removals.
    const steps: Array<() => void> = [
      () => commit((tx) => tx.upsert(t.prices, price('AAA', 1.5))),
      () => {
        commit((tx) => tx.upsert(t.prices, price('AAA', 1.6), price('CCC', 3.1)));
        commit((tx) => tx.upsert(t.prices, price('AAA', 1.7)));
        commit((tx) => tx.append(t.trades, trade(3, 'AAA', 'ag2')));
      },
      () => commit((tx) => tx.remove(t.prices, 'BBB')),
      () => {
        for (let i = 8; i < 12; i++) commit((tx) => tx.append(t.custom, custom(i, i % 2 ? 'odd' : 'even')));
      },
      () => commit((tx) => tx.upsert(t.prices, price('BBB', 2.5), price('DDD', 4))),
      // More than maxQueue (10) events at once: log subscribers get a resync.
      () => {
        for (let i = 12; i < 27; i++) commit((tx) => tx.append(t.custom, custom(i, 'odd')));
      },
      () => commit((tx) => tx.append(t.custom, custom(27, 'odd'))),
      () => commit((tx) => tx.upsert(t.prices, price('AAA', 1.5))),
    ];
    for (const step of steps) {
      step();
      await sleep(STEP_MS);
    }

    // maxHz: three quick changes after the snapshot arrive as one message half a second later.
    const slow = watch('prices.maxHz', (got) => a.market.onPrices.subscribe({ symbols: ['AAA'], maxHz: 2 }, got as never));
    await slow.until((m) => m.length === 1);
    for (let i = 0; i < 3; i++) {
      commit((tx) => tx.upsert(t.prices, price('AAA', 10 + i)));
      await sleep(20);
    }
    await slow.until((m) => m.length === 2, 3000);
    await sleep(STEP_MS);

    let fast = false;
    for (const group of (t.prices as { subscribers: { values(): Iterable<{ subscribers: Set<unknown> }> } }).subscribers.values()) {
      for (const subscriber of group.subscribers) fast ||= subscriber instanceof FastSubscription;
    }
    for (const sub of subs) sub.unsubscribe();
    return { streams, fast };
  } finally {
    await desk.close();
  }
}

describe('desk and stock WebSocket transports', () => {

  it('deliver exactly the same messages and ids to the stock client', async () => {
    const stock = await scenario('stock');
    const desk = await scenario('desk');
    expect(stock.fast).toBe(false);
    expect(desk.fast).toBe(true);
    expect(Object.keys(desk.streams)).toEqual(Object.keys(stock.streams));
    for (const name of Object.keys(stock.streams)) {
      expect({ name, messages: desk.streams[name] }).toEqual({ name, messages: stock.streams[name] });
      const ids = stock.streams[name]!.map((m) => BigInt(m.id));
      for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    }
    // The scenario covers what it claims to.
    const all = Object.values(stock.streams).flat().map((m) => m.data);
    expect(all.some((m) => m.type === 'snapshot' && m.resync)).toBe(true);
    expect(all.some((m) => m.type === 'changes' && m.removes.length > 0)).toBe(true);
    expect(all.some((m) => m.type === 'append' && m.items.length > 1)).toBe(true);
    expect(stock.streams['custom.odd']!.some((m) => m.data.type === 'snapshot' && m.data.resync)).toBe(true);
    expect(stock.streams['prices.maxHz']).toHaveLength(2);
  }, 30_000);
});
