import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { ZodType } from 'zod';
import { appRouter } from '../root';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionSchema } from '../../shared/schema/market';
import type { StreamMessage } from '../../shared/index';
import { applyStreamMessage } from '../../shared/stream/apply';
import { compactPatch } from '../../shared/stream/compact';
import { packedFrames } from '../../shared/packed-frames';
import { sseMux } from '../../shared/sse-mux';
import type { DeskClientOptions } from '../../shared/client';
import type { WsTransport } from '../app';
import { eventually, sleep, startTestDesk, type TestDesk } from '../test/harness';

type Row = Record<string, unknown>;

/** The keyed and latest streams that offer deltas, with each one's key. */
const STREAMS = [
  { path: 'market.onPositions', topic: 'positions', keyOf: (r: Row) => String(r.id) },
  { path: 'market.onPortfolio', topic: 'portfolio', keyOf: () => 'portfolio' },
  { path: 'agents.onAgents', topic: 'agents', keyOf: (r: Row) => String(r.id) },
  { path: 'agents.onTasks', topic: 'tasks', keyOf: (r: Row) => String(r.id) },
  { path: 'agents.onWorkflows', topic: 'workflows', keyOf: (r: Row) => String(r.executionId) },
] as const;

/** One subscription's view, built with the shared reducer, and what it was sent. */
class View {
  rows: Row[] = [];
  patches = 0;
  compact = 0;
  upserts = 0;
  errors: unknown[] = [];
  constructor(readonly keyOf: (row: Row) => string) {}
  onData = ({ data }: { id: string; data: StreamMessage<Row> }) => {
    if (data.type === 'changes') {
      this.patches += data.patches?.length ?? 0;
      this.compact += data.compact?.length ?? 0;
      this.upserts += data.upserts.length;
    }
    this.rows = applyStreamMessage(this.rows, data, { keyOf: this.keyOf });
  };
  onError = (error: unknown) => this.errors.push(error);
  canonical(): string {
    return JSON.stringify([...this.rows].sort((a, b) => (this.keyOf(a) < this.keyOf(b) ? -1 : 1)).map((row) => Object.entries(row).sort()));
  }
}

/**
 * Each transport: the WebSocket served by the desk or by tRPC's stock adapter (and packed frames on
 * the desk's), one SSE stream per subscription, and all of them over one multiplexed SSE stream.
 */
const TRANSPORTS: Array<{ name: string; ws: WsTransport; client: Partial<DeskClientOptions>; compact: Partial<DeskClientOptions> }> = [
  { name: 'the desk WebSocket transport', ws: 'desk', client: {}, compact: { WebSocket: packedFrames(WebSocket) } },
  { name: 'the stock WebSocket transport', ws: 'stock', client: {}, compact: {} },
  { name: 'SSE', ws: 'desk', client: { transport: 'sse' }, compact: { transport: 'sse' } },
  { name: 'the multiplexed SSE stream', ws: 'desk', client: { transport: sseMux() }, compact: { transport: sseMux() } },
];

for (const transport of TRANSPORTS) {
  describe(`deltas over ${transport.name}`, () => {
    let desk: TestDesk;
    beforeAll(async () => {
      desk = await startTestDesk({ transport: transport.ws, statsIntervalMs: 3_600_000 });
    });
    afterAll(() => desk.close());

    it('end in the same state as whole rows, for a stock client, one with deltas, one with deltas at maxHz and one with compact deltas', async () => {
      const stock = desk.client(transport.client);
      const withDeltas = desk.client({ ...transport.client, deltas: true });
      const compact = desk.client({ ...transport.compact, deltas: 'compact' });
      const views: Array<{ name: string; stock: View; deltas: View; slow: View; compact: View; topic: string }> = [];
      const subscriptions: Array<{ unsubscribe(): void }> = [];
      for (const stream of STREAMS) {
        const entry = { name: stream.path, topic: stream.topic, stock: new View(stream.keyOf), deltas: new View(stream.keyOf), slow: new View(stream.keyOf), compact: new View(stream.keyOf) };
        const [router, procedure] = stream.path.split('.') as [string, string];
        const on = (api: typeof stock) => (api as unknown as Record<string, Record<string, { subscribe(input: object, observer: object): { unsubscribe(): void } }>>)[router]![procedure]!;
        subscriptions.push(on(stock).subscribe({}, entry.stock));
        subscriptions.push(on(withDeltas).subscribe({}, entry.deltas));
        subscriptions.push(on(withDeltas).subscribe({ maxHz: 4 }, entry.slow));
        subscriptions.push(on(compact).subscribe({}, entry.compact));
        views.push(entry);
      }
      const { sim, desk: state } = desk.app;
      // The simulator's own changes (ticks marking positions, agents trading, tasks moving), a
      // few per turn of the event loop, so messages conflate and rows open and close.
      for (let round = 0; round < 60; round++) {
        sim.step(1 + (round % 5));
        await sleep(round % 7 === 0 ? 30 : 2);
      }
      const topics = state.topics as unknown as Record<string, { values(): Row[] }>;
      for (const view of views) {
        const want = new View(view.stock.keyOf);
        want.rows = topics[view.topic]!.values();
        await eventually(
          () =>
            view.stock.canonical() === want.canonical() &&
            view.deltas.canonical() === want.canonical() &&
            view.slow.canonical() === want.canonical() &&
            view.compact.canonical() === want.canonical(),
          5_000,
          `${view.name}: every client holds the desk's rows`,
        );
        expect(view.stock.errors).toEqual([]);
        expect(view.deltas.errors).toEqual([]);
        expect(view.compact.errors).toEqual([]);
        // A client that did not ask gets whole rows only; one that asked for compact patches, no others.
        expect(view.stock.patches + view.stock.compact).toBe(0);
        expect(view.deltas.compact).toBe(0);
        expect(view.compact.patches).toBe(0);
      }
      for (const subscription of subscriptions) subscription.unsubscribe();
      // The scenario moved rows that clients held: the positions and the portfolio came as patches.
      const byName = Object.fromEntries(views.map((view) => [view.name, view]));
      expect(byName['market.onPositions']!.deltas.patches).toBeGreaterThan(10);
      expect(byName['market.onPortfolio']!.deltas.patches).toBeGreaterThan(10);
      expect(byName['market.onPortfolio']!.slow.patches).toBeGreaterThan(0);
      expect(byName['market.onPositions']!.compact.compact).toBeGreaterThan(10);
      expect(byName['market.onPortfolio']!.compact.compact).toBeGreaterThan(10);
    }, 30_000);
  });
}

describe('the patch in docs/api.md', () => {
  it('is a message the reducer applies to a held position, leaving a valid position', () => {
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const json = /## Deltas[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    const message = JSON.parse(json!) as StreamMessage<Row>;
    expect(message.type).toBe('changes');
    const held = { id: 'pos-AAPL', symbol: 'AAPL', side: 'long', qty: 100, avgPrice: 187.24, lastPrice: 188.4, marketValue: 18840, unrealizedPnl: 116, realizedPnl: 0, openedAt: 1, closedAt: null };
    const [row] = applyStreamMessage([held], message, { keyOf: (r) => String(r.id) });
    expect(positionSchema.strict().parse(row)).toEqual({ ...held, lastPrice: 188.61, marketValue: 18861, unrealizedPnl: 137.5 });
  });
});

describe('the compact patch in docs/api.md', () => {
  it('is what the desk writes for that change of a held position, and the reducer applies it', () => {
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const json = /### Compact deltas[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    const message = JSON.parse(json!) as StreamMessage<Row>;
    const held = { id: 'pos-AAPL', symbol: 'AAPL', side: 'long', qty: 100, avgPrice: 187.24, lastPrice: 188.4, marketValue: 18840, unrealizedPnl: 116, realizedPnl: 0, openedAt: 1, closedAt: null };
    const changed = { lastPrice: 188.61, marketValue: 18861, unrealizedPnl: 137 };
    expect(message).toEqual({ type: 'changes', upserts: [], removes: [], compact: [compactPatch('pos-AAPL', held, changed)] });
    const [row] = applyStreamMessage([held], message, { keyOf: (r) => String(r.id) });
    expect(positionSchema.strict().parse(row)).toEqual({ ...held, ...changed });
  });
});

describe('the deltas flag every client of the dashboard sends', () => {
  it('is refused by no subscription (the dashboard and deltasLink add it to all of them)', async () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: ZodType[] } }>;
    const subscriptions = Object.entries(procedures).filter(([, p]) => p._def.type === 'subscription');
    expect(subscriptions.length).toBeGreaterThan(15);
    for (const [path, procedure] of subscriptions) {
      for (const parser of procedure._def.inputs) {
        const parsed = await parser.safeParseAsync({ deltas: true });
        // Other fields may be required; the flag itself is never the problem.
        const aboutDeltas = parsed.success ? [] : parsed.error.issues.filter((issue) => issue.path.includes('deltas') || JSON.stringify(issue).includes('deltas'));
        expect({ path, aboutDeltas }).toEqual({ path, aboutDeltas: [] });
      }
    }
  });
});
