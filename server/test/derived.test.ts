import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { applyStreamMessage, type Health, type Stats, type StreamMessage } from '../../shared/index';
import type { WsTransport } from '../app';
import { DerivedTopic } from '../hub/derived-topic';
import type { AppRouter } from '../root';
import { collector, eventually, sleep, startTestDesk, type TestDesk } from './harness';

/**
 * Health and stats are this instance's readings, not events of the desk: they stream without
 * event ids on both WebSocket transports, stay current whatever the simulator does, and every
 * stream that does carry ids names one content per id.
 */

/** What a derived stream delivers: bare messages, no `tracked` envelope. */
function readings<T>() {
  const messages: unknown[] = [];
  let view: T[] = [];
  return {
    messages,
    onData(message: StreamMessage<T>) {
      messages.push(message);
      view = applyStreamMessage(view, message, { keyOf: () => 'only' });
    },
    get latest(): T | undefined {
      return view[0];
    },
  };
}

let desk: TestDesk | null = null;
afterEach(async () => {
  await desk?.close();
  desk = null;
});

describe.each<WsTransport>(['desk', 'stock'])('derived values on the %s transport', (transport) => {
  it('reports the simulator running again on system.onHealth after a stop and a start', async () => {
    desk = await startTestDesk({ transport, statsIntervalMs: 100, sim: { enabled: true, ticksPerSecond: 40 } });
    const api = desk.client();
    const health = readings<Health>();
    const sub = api.system.onHealth.subscribe(undefined, health);
    await eventually(() => health.latest?.simulator.running === true, 5000, 'health shows the simulator running');

    await api.system.controlSimulator.mutate({ running: false });
    await eventually(() => health.latest?.simulator.running === false, 5000, 'health shows it stopped');
    await api.system.controlSimulator.mutate({ running: true });
    await eventually(() => health.latest?.simulator.running === true, 5000, 'health shows it running again');
    expect((await api.system.simulator.query()).running).toBe(true);
    // Several readings arrived, none under an event id.
    expect(health.messages.length).toBeGreaterThan(2);
    for (const message of health.messages) expect(Object.keys(message as object)).not.toContain('id');
    sub.unsubscribe();
  });

  it('keeps health and stats flowing with the simulator stopped', async () => {
    desk = await startTestDesk({ transport, statsIntervalMs: 100 });
    const api = desk.client();
    const stats = readings<Stats>();
    const health = readings<Health>();
    const subs = [api.system.onStats.subscribe(undefined, stats), api.system.onHealth.subscribe(undefined, health)];
    await eventually(() => stats.latest !== undefined && health.latest !== undefined, 5000, 'first readings');
    const firstTs = stats.latest!.ts;
    await eventually(() => stats.latest!.ts >= firstTs + 300, 5000, 'stats.ts moves on');
    expect(stats.messages.length).toBeGreaterThanOrEqual(3);

    // Health follows what changes with no simulator: a new connection, a new commit.
    const connections = health.latest!.connections;
    const other = desk.client();
    await other.system.simulator.query();
    const otherSub = other.market.onPrices.subscribe(undefined, {});
    await eventually(() => health.latest!.connections > connections, 5000, 'health counts the new connection');
    const { eventId } = await api.feeds.broadcastCustom.mutate({ type: 'tick', data: 1 });
    await eventually(() => health.latest!.lastEventId === eventId, 5000, 'health carries the newest event id');
    for (const sub of [...subs, otherSub]) sub.unsubscribe();
  });

  it('returns the real lastEventId from system.health, and accepts it back as lastEventId', async () => {
    desk = await startTestDesk({ transport });
    const api = desk.client();
    await api.feeds.broadcastCustom.mutate({ type: 'before', data: 0 });
    const health = await api.system.health.query();
    expect(health.lastEventId).toBe(String(desk.app.desk.hub.lastId));
    const after = [
      await api.feeds.broadcastCustom.mutate({ type: 'after', data: 1 }),
      await api.feeds.broadcastCustom.mutate({ type: 'after', data: 2 }),
    ];

    // A stream resumed from the health reading gets exactly what was committed after it.
    const custom = collector<StreamMessage<{ data: unknown }>>();
    const sub = api.feeds.onCustom.subscribe({ lastEventId: health.lastEventId }, custom);
    await custom.until((m) => m.length > 0);
    expect(custom.messages[0]!.data).toMatchObject({ type: 'append', items: [{ data: 1 }, { data: 2 }] });
    expect(custom.messages[0]!.id).toBe(after[1]!.eventId);
    // onHealth accepts it too (there is nothing to resume: the current reading comes).
    const resumed = readings<Health>();
    const errors: unknown[] = [];
    const healthSub = api.system.onHealth.subscribe({ lastEventId: health.lastEventId }, { onData: resumed.onData, onError: (e) => errors.push(e) });
    await eventually(() => resumed.latest !== undefined || errors.length > 0, 5000, 'an answer');
    expect(errors).toEqual([]);
    expect(resumed.latest!.lastEventId).toBe(after[1]!.eventId);
    sub.unsubscribe();
    healthSub.unsubscribe();
  });

  it('never delivers two contents under one event id, on any topic, with the simulator stopped and started', async () => {
    desk = await startTestDesk({ transport, statsIntervalMs: 50, sim: { enabled: true, ticksPerSecond: 300 } });
    const { topics } = desk.app.desk;
    const streams = {
      'market.onPrices': topics.prices,
      'market.onPortfolio': topics.portfolio,
      'market.onPositions': topics.positions,
      'market.onTrades': topics.trades,
      'agents.onAgents': topics.agents,
      'agents.onTasks': topics.tasks,
      'agents.onWorkflows': topics.workflows,
      'agents.onDecisions': topics.decisions,
      'alerts.onAlerts': topics.alerts,
      'feeds.onSignals': topics.signals,
      'feeds.onNotifications': topics.notifications,
      'feeds.onCustom': topics.custom,
      'feeds.onSystemAlerts': topics.systemAlerts,
      'feeds.onMetrics': topics.metrics,
      'market.onCandles': topics.candles,
      'alerts.onRules': topics.alertRules,
      'agents.onCommands': topics.agentCommands,
      'agents.onMemory': topics.memories,
    } as const;
    // Every topic with event ids is watched here: a topic added later fails this line until it is.
    // (Derived readings carry no ids and are checked below; revocations are read by a query only.)
    const withIds = Object.values(topics).filter((t) => !(t instanceof DerivedTopic) && t !== topics.revocations);
    expect(Object.values(streams).map((t) => t.name).sort()).toEqual(withIds.map((t) => t.name).sort());
    type Path = keyof typeof streams;
    const LIMIT = 1000;
    const isLog = (path: Path) => streams[path].deliveryClass === 'log';
    const canonical = (path: Path, view: unknown[]) => {
      const keyOf = streams[path].keyOf as (item: unknown) => string;
      // A state view is a set of rows (order depends on history); a log view is a sequence.
      const rows = isLog(path) ? view : [...view].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
      return JSON.stringify(rows);
    };
    /** Per stream path: the view each subscription had right after each id it received. */
    const viewsAt = new Map<Path, Array<Map<string, string>>>();
    const problems: string[] = [];
    const subs: Array<{ unsubscribe(): void }> = [];
    const watch = (api: ReturnType<TestDesk['client']>, path: Path, input: Record<string, unknown>, start: unknown[] = []) => {
      const keyOf = streams[path].keyOf as (item: unknown) => string;
      const seen = new Map<string, string>();
      (viewsAt.get(path) ?? viewsAt.set(path, []).get(path)!).push(seen);
      let view = start;
      let last = -1n;
      const [router, name] = path.split('.') as [string, string];
      const procedure = (api as unknown as Record<string, Record<string, { subscribe: Function }>>)[router]![name]!;
      subs.push(
        procedure.subscribe(input, {
          onData({ id, data }: { id: string; data: StreamMessage<unknown> }) {
            if (BigInt(id) <= last) problems.push(`${path}: id ${id} after ${last}`);
            last = BigInt(id);
            view = applyStreamMessage(view, data, { keyOf, limit: isLog(path) ? LIMIT : undefined });
            seen.set(id, canonical(path, view));
          },
          onError: (error: unknown) => problems.push(`${path}: ${String(error)}`),
        }),
      );
      return seen;
    };
    const early = desk.client();
    const slow = desk.client();
    const late = desk.client();
    const required: Partial<Record<Path, object>> = { 'market.onCandles': { symbol: 'AAPL', interval: '1s' } };
    const input = (path: Path) => ({ ...(isLog(path) ? { limit: LIMIT } : {}), ...required[path] });
    const first = new Map<Path, Map<string, string>>();
    for (const path of Object.keys(streams) as Path[]) {
      first.set(path, watch(early, path, input(path)));
      // Conflating differently (maxHz) while sharing the same filter, so the same serialized payloads.
      watch(slow, path, isLog(path) ? input(path) : { ...input(path), maxHz: 7 });
    }
    const derived = { health: readings<Health>(), stats: readings<Stats>(), slowHealth: readings<Health>(), slowStats: readings<Stats>() };
    subs.push(
      early.system.onHealth.subscribe(undefined, derived.health),
      early.system.onStats.subscribe(undefined, derived.stats),
      slow.system.onHealth.subscribe({ maxHz: 7 }, derived.slowHealth),
      slow.system.onStats.subscribe({ maxHz: 7 }, derived.slowStats),
    );
    const api = early;
    await sleep(300);
    await api.system.controlSimulator.mutate({ running: false });
    await api.feeds.broadcastCustom.mutate({ type: 'stopped', data: 1 });
    await api.feeds.raiseSystemAlert.mutate({ component: 'ids', severity: 'warning', message: 'stopped' });
    await api.feeds.recordMetrics.mutate({ samples: [{ name: 'ids_stopped', value: 1 }] });
    await sleep(200);
    // Resume from an id the early subscriber saw, starting from the view it had then.
    for (const path of Object.keys(streams) as Path[]) {
      const seen = [...first.get(path)!];
      const [id, json] = seen[Math.floor(seen.length / 2)]!;
      watch(late, path, { ...input(path), lastEventId: id }, JSON.parse(json));
    }
    await api.system.controlSimulator.mutate({ running: true });
    await sleep(300);
    for (const path of Object.keys(streams) as Path[]) watch(late, path, input(path));
    await api.system.controlSimulator.mutate({ running: false });
    await api.system.controlSimulator.mutate({ running: true, ticksPerSecond: 500 });
    await sleep(400);
    await api.system.controlSimulator.mutate({ running: false });
    const { eventId } = await api.feeds.broadcastCustom.mutate({ type: 'end', data: 2 });
    await eventually(() => [...first.get('feeds.onCustom')!.keys()].includes(eventId!), 5000, 'the last event arrived');
    await sleep(300);

    expect(problems).toEqual([]);
    // Health and stats carry no event id at all.
    for (const stream of Object.values(derived)) {
      expect(stream.messages.length).toBeGreaterThan(2);
      for (const message of stream.messages) expect(Object.keys(message as object)).not.toContain('id');
    }
    let compared = 0;
    for (const [path, subscriptions] of viewsAt) {
      const byId = new Map<string, string>();
      for (const seen of subscriptions) {
        for (const [id, json] of seen) {
          const other = byId.get(id);
          if (other === undefined) byId.set(id, json);
          else {
            compared++;
            expect({ path, id, view: json }).toEqual({ path, id, view: other });
          }
        }
      }
    }
    // The run exercised what it claims: many ids seen by more than one subscription.
    expect(compared).toBeGreaterThan(50);
    for (const sub of subs) sub.unsubscribe();
  }, 30_000);
});

describe('derived stream input', () => {
  it('refuses a lastEventId that is not an event id', async () => {
    desk = await startTestDesk();
    const api = desk.client();
    const error = await new Promise<unknown>((resolve) => {
      api.system.onHealth.subscribe({ lastEventId: '' }, { onError: resolve, onData: () => resolve(null) });
    });
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('BAD_REQUEST');
  });
});
