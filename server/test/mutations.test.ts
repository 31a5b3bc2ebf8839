import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, type AppRouter } from '../root';
import { startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, desk: { market: { initialCash: 100_000 } } });
});
afterAll(() => desk.close());

describe('trades keep positions and portfolio consistent', () => {
  it('opens, adds, reduces, closes and flips with exact P&L', async () => {
    const api = desk.client();
    const px = (price: number) => api.market.setPrice.mutate({ symbol: 'TM', price });
    const trade = (side: 'buy' | 'sell', qty: number, price: number) => api.market.executeTrade.mutate({ symbol: 'TM', side, qty, price });
    const position = async () => (await api.market.positions.query()).find((p) => p.symbol === 'TM');

    await px(100);
    await trade('buy', 10, 100); // open
    await trade('buy', 30, 120); // add: avg 115
    expect(await position()).toMatchObject({ side: 'long', qty: 40, avgPrice: 115 });
    await px(125); // mark to market: (125 - 115) * 40
    expect(await position()).toMatchObject({ lastPrice: 125, marketValue: 5000, unrealizedPnl: 400 });
    expect(await api.market.portfolio.query()).toMatchObject({ cash: 95_400, equity: 100_400, unrealizedPnl: 400, realizedPnl: 0, dayPnl: 400 });

    const reduce = await trade('sell', 10, 125); // realize 100
    expect(reduce.trade.realizedPnl).toBe(100);
    expect(await position()).toMatchObject({ qty: 30, avgPrice: 115, realizedPnl: 100 });

    const flip = await trade('sell', 40, 110); // close 30 at -5 each (-150), open short 10 at 110
    expect(flip.trade.realizedPnl).toBe(-150);
    expect(await position()).toMatchObject({ side: 'short', qty: 10, avgPrice: 110, realizedPnl: 0 });

    await trade('buy', 10, 100); // close the short: +100
    expect(await position()).toBeUndefined();
    const portfolio = await api.market.portfolio.query();
    expect(portfolio).toMatchObject({ positionsValue: 0, unrealizedPnl: 0, realizedPnl: 50 });
    expect(portfolio.cash).toBe(100_050);
    expect(portfolio.equity).toBe(100_050);
  });

  it('returns the event id its change reached the streams under', async () => {
    const api = desk.client();
    const before = desk.app.desk.hub.lastId;
    const { eventId } = await api.feeds.pushNotification.mutate({ title: 'hello' });
    expect(Number(eventId)).toBe(before + 1);
    const unchanged = await api.agents.setStatus.mutate({ id: 'same', status: 'idle' });
    const again = await api.agents.setStatus.mutate({ id: 'same', status: 'idle' });
    expect(unchanged.eventId).not.toBeNull();
    expect(again.eventId).toBeNull();
  });
});

describe('bad input', () => {
  const mutations = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, procedure]) => procedure._def.type === 'mutation')
    .map(([path]) => path)
    // `alerts.clear` takes no input.
    .filter((path) => path !== 'alerts.clear');

  it('covers every mutation of the router', () => {
    expect(mutations.length).toBeGreaterThanOrEqual(15);
  });

  it.each(mutations)('%s rejects malformed input with BAD_REQUEST and changes nothing', async (path) => {
    const api = desk.client() as unknown as Record<string, Record<string, { mutate: (input: unknown) => Promise<unknown> }>>;
    const [router, name] = path.split('.') as [string, string];
    const before = desk.app.desk.hub.lastId;
    for (const input of [42, 'text', [1, 2], { symbol: 7, qty: 'x', id: '', samples: 'no', running: 'yes', data: undefined }]) {
      const error = await api[router]![name]!.mutate(input).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, `${path} accepted ${JSON.stringify(input)}`).toBeInstanceOf(TRPCClientError);
      const data = (error as TRPCClientError<AppRouter>).data;
      expect(data?.code).toBe('BAD_REQUEST');
      expect(data?.zodError).toBeTruthy();
    }
    expect(desk.app.desk.hub.lastId).toBe(before);
  });

  it('names the offending field in the error data', async () => {
    const api = desk.client();
    const error = await api.market.executeTrade.mutate({ symbol: 'AAPL', side: 'buy', qty: -5 }).catch((e: unknown) => e);
    const data = (error as TRPCClientError<AppRouter>).data;
    expect(Object.keys(data?.zodError?.fieldErrors ?? {})).toEqual(['qty']);
  });

  it('gives each issue with its full path, so a form can put a nested one under the field it concerns', async () => {
    const api = desk.client();
    const error = await api.feeds.recordMetrics.mutate({ samples: [{ name: 'orders', value: 'lots' as unknown as number }] }).catch((e: unknown) => e);
    const data = (error as TRPCClientError<AppRouter>).data;
    expect(data?.zodIssues).toEqual([expect.objectContaining({ path: ['samples', 0, 'value'], code: 'invalid_type', expected: 'number' })]);
    expect(data?.zodError?.fieldErrors).toHaveProperty('samples');
  });

  it('rejects a trade in a symbol without a price with a message saying what to do', async () => {
    const api = desk.client();
    await expect(api.market.executeTrade.mutate({ symbol: 'NOPX', side: 'buy', qty: 1 })).rejects.toThrow(/has no price yet/);
  });
});

describe('idempotency keys', () => {
  it('are given to every mutation the client sends without one, a new key each time; a key passed is kept', async () => {
    const api = desk.client();
    await api.feeds.pushNotification.mutate({ title: 'first' });
    await api.feeds.pushNotification.mutate({ title: 'second' });
    await api.alerts.clear.mutate();
    await api.feeds.pushNotification.mutate({ title: 'mine', idempotencyKey: 'caller-key-1' });
    const { entries } = await api.system.audit.query({ limit: 50 });
    const keyOf = (path: string, title?: string) =>
      entries
        .filter((e) => e.path === path && (title === undefined || e.input?.includes(`"title":"${title}"`)))
        .map((e) => (JSON.parse(e.input ?? '{}') as { idempotencyKey?: string }).idempotencyKey);
    const [first] = keyOf('feeds.pushNotification', 'first');
    const [second] = keyOf('feeds.pushNotification', 'second');
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(second).toMatch(/^[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
    expect(keyOf('alerts.clear')[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keyOf('feeds.pushNotification', 'mine')).toEqual(['caller-key-1']);
  });
});
