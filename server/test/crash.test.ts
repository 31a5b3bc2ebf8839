import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, MetricSample, StreamMessage, Trade } from '../../shared/index';
import { createDeskClient } from '../../shared/node';
import { createRandom } from '../sim/random';
import { applyFill, money } from '../store/trade-math';
import { collector } from './harness';
import { exited, freePort, spawnServer, TEST_TOKEN } from './process';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('kill -9 at random points', () => {
  it('keeps every acknowledged mutation, state equal to a replay of the log, and resumes without gap or duplicate', async () => {
    const port = await freePort();
    const env = { DESK_DB: join(mkdtempSync(join(tmpdir(), 'crash-')), 'desk.db'), DESK_SIM: '1', DESK_SIM_TPS: '300', DESK_SIM_SYMBOLS: 'CRA,CRB' };
    const url = `http://127.0.0.1:${port}`;
    const watcher = createDeskClient({ url, token: TEST_TOKEN, retryDelayMs: () => 50 });
    const writer = createDeskClient({ url, token: TEST_TOKEN, retryDelayMs: () => 50 });
    const seen = collector<StreamMessage<DeskCustomEvent>>();
    let watching: { unsubscribe(): void } | null = null;
    const ackedCustom: number[] = [];
    const ackedTrades: string[] = [];
    let n = 0;

    for (let round = 0; round < 3; round++) {
      const server = await spawnServer(port, env);
      children.push(server);
      if (!watching) {
        watching = watcher.api.feeds.onCustom.subscribe({ type: 'crash', limit: 0 }, seen);
        await seen.until((m) => m.length > 0, 10_000);
      }
      // The kill comes at a random moment once this round has had a few answers, however slow the
      // machine is, so that every round kills a server in the middle of acknowledged work.
      const roundStart = ackedCustom.length;
      let killAt = Infinity;
      let killer: ReturnType<typeof setTimeout> | undefined;
      try {
        while (Date.now() < killAt + 50) {
          const i = n++;
          await writer.api.feeds.broadcastCustom.mutate({ type: 'crash', data: i });
          ackedCustom.push(i);
          if (killer === undefined && ackedCustom.length - roundStart >= 5) {
            const delay = Math.random() * 700;
            killAt = Date.now() + delay;
            killer = setTimeout(() => server.kill('SIGKILL'), delay);
          }
          const { trade } = await writer.api.market.executeTrade.mutate({ symbol: 'CRA', side: i % 3 ? 'buy' : 'sell', qty: 1 + (i % 4) });
          ackedTrades.push(trade.id);
        }
      } catch {
        // the server died under a request: that one was not acknowledged
      } finally {
        clearTimeout(killer);
        server.kill('SIGKILL');
      }
      await exited(server);
    }
    expect(ackedCustom.length).toBeGreaterThan(10);

    // The last run without the simulator, so nothing trades while the log is compared.
    const last = await spawnServer(port, { ...env, DESK_SIM: '0' });
    children.push(last);
    const api = writer.api;
    const custom = collector<StreamMessage<DeskCustomEvent>>();
    const trades = collector<StreamMessage<Trade>>();
    const s1 = api.feeds.onCustom.subscribe({ type: 'crash', limit: 1000 }, custom);
    const s2 = api.market.onTrades.subscribe({ limit: 1000 }, trades);
    await custom.until((m) => m.length > 0, 10_000);
    await trades.until((m) => m.length > 0, 10_000);
    const persisted = (custom.messages[0]!.data as { items: DeskCustomEvent[] }).items.map((e) => e.data as number);
    const tradeLog = (trades.messages[0]!.data as { items: Trade[] }).items;

    // Every acknowledged mutation survived.
    expect(persisted).toEqual(expect.arrayContaining(ackedCustom));
    expect(tradeLog.map((t) => t.id)).toEqual(expect.arrayContaining(ackedTrades));
    expect(new Set(persisted).size).toBe(persisted.length);

    // State equals a replay of the trade log (the simulator traded too: all of it is in the log).
    const holdings = new Map<string, { qty: number; avgPrice: number }>();
    let cash = 1_000_000;
    let realized = 0;
    for (const t of tradeLog) {
      const fill = applyFill(holdings.get(t.symbol) ?? null, t.side, t.qty, t.price);
      holdings.set(t.symbol, { qty: fill.qty, avgPrice: fill.avgPrice });
      cash = money(cash + (t.side === 'buy' ? -1 : 1) * t.qty * t.price);
      realized = money(realized + fill.realized);
    }
    expect(tradeLog.length).toBeLessThan(1000);
    const portfolio = await api.market.portfolio.query();
    expect(portfolio.cash).toBeCloseTo(cash, 6);
    expect(portfolio.realizedPnl).toBeCloseTo(realized, 6);
    const positions = await api.market.positions.query();
    const open = [...holdings].filter(([, h]) => h.qty !== 0);
    expect(positions.map((p) => [p.symbol, p.side === 'long' ? p.qty : -p.qty, p.avgPrice]).sort()).toEqual(
      open.map(([symbol, h]) => [symbol, h.qty, h.avgPrice]).sort(),
    );

    // The watcher resumed across every crash: exactly the persisted events, in order, once each.
    const watched = () => seen.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data as number) : []));
    await seen.until(() => watched().length >= persisted.length, 15_000);
    expect(seen.messages.filter((m) => m.data.type === 'snapshot')).toHaveLength(1);
    expect(watched()).toEqual(persisted);

    s1.unsubscribe();
    s2.unsubscribe();
    watching?.unsubscribe();
    watcher.close();
    writer.close();
  }, 120_000);
});

describe('recordMetrics across kill -9', () => {
  it('keeps acknowledged samples, and a same-key retry returns the same eventId and adds nothing', async () => {
    const port = await freePort();
    const env = { DESK_DB: join(mkdtempSync(join(tmpdir(), 'crash-metrics-')), 'desk.db') };
    const url = `http://127.0.0.1:${port}`;
    const client = createDeskClient({ url, token: TEST_TOKEN, retryDelayMs: () => 50 });
    const samples = [
      { name: 'crash_latency_ms', value: 12.5, labels: { host: 'a' } },
      { name: 'crash_latency_ms', value: 13.5, labels: { host: 'b' }, ts: 1_700_000_000_000 },
    ];
    const metricsOnDisk = async () => {
      const got = collector<StreamMessage<MetricSample>>();
      const sub = client.api.feeds.onMetrics.subscribe({ name: 'crash_latency_ms', limit: 1000 }, got);
      await got.until((m) => m.length > 0, 10_000);
      sub.unsubscribe();
      const first = got.messages[0]!.data;
      return first.type === 'snapshot' ? first.items : [];
    };

    const server = await spawnServer(port, env);
    children.push(server);
    const acked = await client.api.feeds.recordMetrics.mutate({ samples, idempotencyKey: 'metrics-crash-1' });
    expect(acked.eventId).toMatch(/^\d+$/);
    server.kill('SIGKILL');
    await exited(server);

    const again = await spawnServer(port, env);
    children.push(again);
    const restored = await metricsOnDisk();
    expect(restored.map(({ value, labels }) => ({ value, labels }))).toEqual(samples.map(({ value, labels }) => ({ value, labels })));
    expect(restored[1]!.ts).toBe(1_700_000_000_000);
    const retry = await client.api.feeds.recordMetrics.mutate({ samples, idempotencyKey: 'metrics-crash-1' });
    expect(retry).toEqual(acked);
    expect(await metricsOnDisk()).toEqual(restored);
    client.close();
  }, 60_000);
});

describe('group commit across kill -9', () => {
  // Seeded (FC_SEED=<seed> replays a run): which calls are refused and when the server is killed.
  const seed = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED);
  it('keeps every acknowledged mutation of concurrent callers, fails a refused one alone, and of those unacknowledged none is half there', async () => {
    const random = createRandom(seed);
    const port = await freePort();
    const env = { DESK_DB: join(mkdtempSync(join(tmpdir(), 'crash-group-')), 'desk.db') };
    const url = `http://127.0.0.1:${port}`;
    const clients = Array.from({ length: 8 }, () => createDeskClient({ url, token: TEST_TOKEN, retryDelayMs: () => 50 }));
    const server = await spawnServer(port, env);
    children.push(server);
    await clients[0]!.api.market.setPrice.mutate({ symbol: 'GCR', price: 10 });

    // 8 callers with 3 mutations in flight each, so groups form; about one call in eight is refused
    // inside its group (a symbol with no price); killed after a random number of acknowledgements.
    const acked = new Map<string, string>();
    const unacked = new Set<string>();
    const refused = new Map<string, string>();
    const killAfter = 50 + random.int(250);
    const plan = Array.from({ length: 8 * 3 }, () => Array.from({ length: 60 }, () => random.next() < 0.125));
    let killed = false;
    const caller = async (c: number, lane: number) => {
      for (let i = 0; i < 60 && !killed; i++) {
        const key = `gcr-${c}-${lane}-${i}`;
        const bad = plan[c * 3 + lane]![i]!;
        if (!bad) unacked.add(key);
        try {
          const { trade } = await clients[c]!.api.market.executeTrade.mutate({
            symbol: bad ? 'GCR-NONE' : 'GCR',
            side: (c + i) % 3 ? 'buy' : 'sell',
            qty: 1 + (i % 4),
            idempotencyKey: key,
          });
          expect(bad, `seed ${seed}: ${key} on a symbol with no price was acknowledged`).toBe(false);
          unacked.delete(key);
          acked.set(key, trade.id);
        } catch (error) {
          if (killed) return; // the server died under this one: not acknowledged
          // The server is up: only the refused call fails, and it fails for its own reason.
          expect(bad, `seed ${seed}: ${key} failed: ${(error as Error).message}`).toBe(true);
          refused.set(key, (error as { data?: { code?: string } }).data?.code ?? String(error));
        }
        if (acked.size >= killAfter && !killed) {
          killed = true;
          server.kill('SIGKILL');
        }
      }
    };
    await Promise.all(clients.flatMap((_, c) => [caller(c, 0), caller(c, 1), caller(c, 2)]));
    server.kill('SIGKILL');
    await exited(server);
    expect(acked.size).toBeGreaterThanOrEqual(Math.min(killAfter, 8 * 3 * 60));
    expect(refused.size, `seed ${seed}`).toBeGreaterThan(0);
    expect(new Set(refused.values()), `seed ${seed}`).toEqual(new Set(['BAD_REQUEST']));

    const again = await spawnServer(port, env);
    children.push(again);
    const api = clients[0]!.api;
    const tradeLog = async () => {
      const got = collector<StreamMessage<Trade>>();
      const sub = api.market.onTrades.subscribe({ limit: 1000 }, got);
      await got.until((m) => m.length > 0, 10_000);
      sub.unsubscribe();
      return (got.messages[0]!.data as { items: Trade[] }).items;
    };
    const persisted = new Set((await tradeLog()).map((t) => t.id));
    for (const id of acked.values()) expect(persisted.has(id)).toBe(true);
    // An unacknowledged trade either stands whole (its key answers with it) or not at all (its retry applies now).
    for (const key of unacked) {
      const { trade } = await api.market.executeTrade.mutate({ symbol: 'GCR', side: 'buy', qty: 1, idempotencyKey: key });
      acked.set(key, trade.id);
    }
    const log = await tradeLog();
    expect(log.map((t) => t.id).sort()).toEqual([...acked.values()].sort());
    expect(log.some((t) => t.symbol === 'GCR-NONE')).toBe(false);
    // A refused call left no answer under its key: its retry is refused again, not answered from the key.
    const [retried] = [...refused.keys()];
    await expect(api.market.executeTrade.mutate({ symbol: 'GCR-NONE', side: 'buy', qty: 1, idempotencyKey: retried })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });

    // Positions and cash equal a replay of the trade log: no trade is in the log without its effects, or the reverse.
    let holding: { qty: number; avgPrice: number } | null = null;
    let cash = 1_000_000;
    for (const t of log) {
      const fill = applyFill(holding, t.side, t.qty, t.price);
      holding = { qty: fill.qty, avgPrice: fill.avgPrice };
      cash = money(cash + (t.side === 'buy' ? -1 : 1) * t.qty * t.price);
    }
    expect((await api.market.portfolio.query()).cash).toBeCloseTo(cash, 6);
    const position = (await api.market.positions.query()).find((p) => p.symbol === 'GCR');
    expect(position ? (position.side === 'long' ? position.qty : -position.qty) : 0).toBe(holding?.qty ?? 0);
    for (const client of clients) client.close();
  }, 60_000);
});
