import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../shared/schema/stream';
import { applyStreamMessage } from '../../shared/stream/apply';
import { allOf, equalTo, matchAll, type Filter } from '../hub/filter';
import { Hub } from '../hub/hub';
import type { StateTopic } from '../hub/state-topic';
import { Subscriber, type DeltaMode } from '../hub/subscriber';
import { keyOf, type Row } from '../hub/test-rows';
import { FastSubscription, PayloadShares, shareKeyOf } from './fast-subscription';
import { sharedHead } from './frames';

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4'];
const sorted = (rows: readonly Row[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const rowArb: fc.Arbitrary<Row> = fc.record(
  {
    id: fc.constantFrom(...KEYS),
    group: fc.constantFrom('x' as const, 'y' as const),
    n: fc.integer({ min: 0, max: 3 }),
    note: fc.constantFrom('a', 'b'),
    tags: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
    meta: fc.option(fc.record({ v: fc.integer({ min: 0, max: 2 }) }), { nil: null }),
    // Decimal prices near each other (a step is shorter than the number), and any other double.
    px: fc.oneof(
      fc.integer({ min: 99_000_000, max: 101_000_000 }).map((n) => n / 1e5),
      fc.integer({ min: -5_000, max: 5_000 }).map((n) => 1_001_177.61702837 + n / 1e8),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    ),
  },
  { requiredKeys: ['id', 'group', 'n', 'tags', 'meta'] },
);

type Step =
  | { k: 'commit'; upserts: Row[]; removes: string[] }
  | { k: 'deliver'; who: number }
  | { k: 'deliverAll' }
  | { k: 'resync'; who: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('commit' as const), upserts: fc.array(rowArb, { maxLength: 3 }), removes: fc.array(fc.constantFrom(...KEYS), { maxLength: 1 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('deliver' as const), who: fc.nat(15) }) },
  { weight: 2, arbitrary: fc.constant({ k: 'deliverAll' as const }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('resync' as const), who: fc.nat(15) }) },
);

const inGroupX: Filter<Row> = allOf<Row>([equalTo('group', 'x', (row) => row.group)]);

/** One subscription as its client sees it: the view it builds with the shared reducer from what it is sent. */
interface Client {
  path: 'generator' | 'fast';
  deltas: DeltaMode;
  filter: Filter<Row>;
  view: Row[];
  patches: number;
  pending(): boolean;
  /** What goes out next (a conflated message when several commits waited), or null. */
  next(): StreamMessage<Row> | null;
  resync(): StreamMessage<Row>;
}

/** A subscriber as the generator path (stock transport, SSE) drives it. */
function generatorClient(hub: Hub, topic: StateTopic<Row>, filter: Filter<Row>, deltas: DeltaMode): Client {
  const subscriber = new Subscriber<Row>({ maxQueue: 100, counters: hub.counters }, deltas);
  const kept = topic.subscribe(filter, subscriber);
  return {
    path: 'generator',
    deltas,
    filter: kept,
    view: applyStreamMessage([], { type: 'snapshot', items: topic.snapshot(kept), resync: false }, { keyOf }),
    patches: 0,
    pending: () => subscriber.hasPending,
    next: () => subscriber.take()?.message ?? null,
    resync() {
      subscriber.reset();
      return { type: 'snapshot', items: topic.snapshot(kept), resync: true };
    },
  };
}

/** A desk-transport subscription: payloads shared by its group, read back from the frames it writes. */
function fastClient(hub: Hub, topic: StateTopic<Row>, filter: Filter<Row>, deltas: DeltaMode, shares: PayloadShares): Client {
  const plan = { hub, topic, options: { filter, deltas } };
  const share = shares.acquire(hub, topic as never, shareKeyOf(filter.key, deltas), filter as never);
  const sub = new FastSubscription<Row>(plan, sharedHead(1), { enqueue: () => {} }, share);
  const messageOf = (frame: string) => (JSON.parse(frame) as { result: { data: { data: StreamMessage<Row> } } }).result.data.data;
  return {
    path: 'fast',
    deltas,
    filter,
    view: applyStreamMessage([], messageOf(sub.start(null)), { keyOf }),
    patches: 0,
    pending: () => sub.hasPending,
    next() {
      const frame = sub.nextFrame();
      return frame === null ? null : messageOf(frame);
    },
    resync() {
      // An overflow is what makes the desk transport resync a state subscription's client.
      sub.overflowed = true;
      return messageOf(sub.nextFrame()!);
    },
  };
}

describe('deltas applied to the snapshot', () => {
  it('equal the whole rows, per subscriber, plain and compact, through conflation, shared frames and resyncs', () => {
    const patchesSeen = { generator: 0, fast: 0 };
    const compactSeen = { generator: 0, fast: 0, steps: 0 };
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 5 }), fc.array(stepArb, { minLength: 1, maxLength: 40 }), (initial, steps) => {
        const hub = new Hub({ firstId: 0 });
        const topic = hub.state<Row>({ name: 'rows', deliveryClass: 'keyed', keyOf, deltas: true });
        const shares = new PayloadShares();
        hub.commit((tx) => tx.upsert(topic, ...initial));
        // Both delivery paths, with and without deltas, all rows or one group's (so rows also
        // enter and leave a view), two of each: the second shares the first one's frames.
        const clients: Client[] = [];
        for (const path of ['generator', 'fast'] as const) {
          for (const deltas of [true, 'compact', false] as const) {
            for (const filter of [matchAll as Filter<Row>, inGroupX]) {
              for (let copy = 0; copy < 2; copy++) {
                clients.push(path === 'fast' ? fastClient(hub, topic, filter, deltas, shares) : generatorClient(hub, topic, filter, deltas));
              }
            }
          }
        }
        const receive = (client: Client, message: StreamMessage<Row> | null) => {
          if (message === null) return;
          if (message.type === 'changes' && message.patches) {
            // Patches only for a subscriber that asked.
            expect(client.deltas).not.toBe(false);
            client.patches += message.patches.length;
          }
          if (message.type === 'changes' && message.compact) {
            // Compact ones only for a subscriber that asked for them.
            expect(client.deltas).toBe('compact');
            compactSeen[client.path] += message.compact.length;
            for (const patch of message.compact) compactSeen.steps += patch.filter((f, i) => i % 2 === 1 && typeof f === 'number' && f < 0).length;
          }
          client.view = applyStreamMessage(client.view, message, { keyOf });
          if (!client.pending()) expect(sorted(client.view)).toEqual(sorted(topic.snapshot(client.filter)));
        };
        for (const step of steps) {
          if (step.k === 'commit') {
            hub.commit((tx) => {
              tx.upsert(topic, ...step.upserts);
              tx.remove(topic, ...step.removes.filter((key) => !step.upserts.some((row) => row.id === key)));
            });
          } else if (step.k === 'deliver') receive(clients[step.who % clients.length]!, clients[step.who % clients.length]!.next());
          else if (step.k === 'deliverAll') for (const client of clients) receive(client, client.next());
          else receive(clients[step.who % clients.length]!, clients[step.who % clients.length]!.resync());
        }
        for (const client of clients) {
          receive(client, client.next());
          expect(sorted(client.view)).toEqual(sorted(topic.snapshot(client.filter)));
          patchesSeen[client.path] += client.patches;
        }
      }),
      { numRuns: 100, seed: 17 },
    );
    // The runs exercised patches on both paths (else the property says nothing about them).
    expect(patchesSeen.generator).toBeGreaterThan(100);
    expect(patchesSeen.fast).toBeGreaterThan(100);
    expect(compactSeen.generator).toBeGreaterThan(100);
    expect(compactSeen.fast).toBeGreaterThan(100);
    expect(compactSeen.steps).toBeGreaterThan(20);
  });
});
