import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { applyStreamMessage } from '../../shared/stream/apply';
import type { StreamMessage } from '../../shared/schema/stream';
import { startTestDesk, type TestDesk } from './harness';
import { LOG_TOPICS, TOPICS, canonical, type TopicName } from './model/catalog';
import { mutationArb, toMutation } from './model/commands';

type Row = Record<string, unknown>;
type Api = ReturnType<TestDesk['client']>;

const FOLLOWED: TopicName[] = ['portfolio', 'positions', 'agents', 'tasks', 'workflows', 'alerts', 'alertRules', ...LOG_TOPICS];

function procedure(api: Api, path: string) {
  let node: any = api;
  for (const part of path.split('.')) node = node[part];
  return node;
}

/** A comparable form of a topic's view: the portfolio without its clock, anything else as it is. */
function comparable(topic: TopicName, rows: readonly Row[]): string {
  if (topic !== 'portfolio') return canonical(rows);
  return canonical(rows.map(({ updatedAt: _ignored, ...rest }) => rest));
}

describe('the desk as of a past moment', () => {
  let desk: TestDesk;
  let api: Api;
  /** Per topic: the view a subscribed client held right after each message, with that message's id. */
  const held = new Map<TopicName, Array<{ id: string; view: string }>>();
  const checked = new Set<string>();
  let compared = 0;

  beforeAll(async () => {
    // Checkpoints every few events, so rebuilds start from many different ones.
    desk = await startTestDesk({ desk: { checkpoints: { everyEvents: 4, checkMs: 3_600_000 } } });
    api = desk.client();
    for (const topic of FOLLOWED) {
      const spec = TOPICS[topic];
      let view: Row[] = [];
      const seen: Array<{ id: string; view: string }> = [];
      held.set(topic, seen);
      procedure(api, spec.path).subscribe(
        {},
        {
          onData: ({ id, data }: { id: string; data: StreamMessage<Row> }) => {
            view = applyStreamMessage(view, data, { keyOf: spec.keyOf });
            seen.push({ id, view: comparable(topic, view) });
          },
        },
      );
    }
  });
  afterAll(() => desk.close());

  /** Every view recorded and not yet checked equals the desk rebuilt by the server as of its id. */
  async function checkHeld(): Promise<void> {
    const rebuilt = new Map<string, Awaited<ReturnType<Api['replay']['asOf']['query']>>>();
    for (const [topic, seen] of held) {
      for (const { id, view } of seen) {
        const mark = `${topic}@${id}`;
        if (checked.has(mark)) continue;
        checked.add(mark);
        const asOf = rebuilt.get(id) ?? (await api.replay.asOf.query({ at: id, limit: 1000 }));
        rebuilt.set(id, asOf);
        const rows = (topic === 'portfolio' ? (asOf.portfolio ? [asOf.portfolio] : []) : topic in asOf.keyed ? asOf.keyed[topic as keyof typeof asOf.keyed] : asOf.logs[topic as keyof typeof asOf.logs]) as Row[];
        expect({ topic, id, view: comparable(topic, rows) }).toEqual({ topic, id, view });
        compared++;
      }
    }
  }

  it('equals, topic by topic, what a subscribed client held when it had received that id', async () => {
    const seed = Number(process.env.FC_SEED ?? 20261201);
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 25 }), async (cmds) => {
        for (const cmd of cmds) {
          const alerts = (await api.alerts.alerts.query()).map((a) => a.id);
          const { path, input } = toMutation(cmd, alerts);
          await procedure(api, path).mutate(input).catch(() => undefined);
          desk.app.desk.replay!.checkpointer.step();
        }
        // Whatever has arrived is checked; the rest is checked with the next run's.
        await new Promise((resolve) => setTimeout(resolve, 20));
        await checkHeld();
      }),
      { numRuns: 20, seed, endOnFailure: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await checkHeld();
    expect(desk.app.desk.replay!.checkpoints.size).toBeGreaterThan(10);
    expect(compared).toBeGreaterThan(100);
  }, 120_000);

  // Found by the reference model (server/test/invariants.test.ts, seed 640431566): a tick at the
  // price a held position already had stamped the portfolio with a new time and nothing else, which
  // the journal (folding only real changes) could not rebuild.
  it('keeps the portfolio as it was, time and all, through a tick at the price it already had', async () => {
    await api.market.setPrice.mutate({ symbol: 'SAME', price: 125 });
    await api.market.executeTrade.mutate({ symbol: 'SAME', side: 'buy', qty: 1 });
    const before = (await api.replay.asOf.query({ at: (await api.system.health.query()).lastEventId })).portfolio;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await api.market.setPrice.mutate({ symbol: 'SAME', price: 125 });
    const at = (await api.system.health.query()).lastEventId;
    const rebuilt = (await api.replay.asOf.query({ at })).portfolio;
    expect(rebuilt).toEqual(before);
    expect(rebuilt).toEqual(desk.app.desk.topics.portfolio.get('portfolio'));
  });

  it('refuses an event id after the newest one and a time in the future', async () => {
    const health = await api.system.health.query();
    const beyond = String(Number(health.lastEventId) + 1000);
    await expect(api.replay.asOf.query({ at: beyond })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' }, message: expect.stringContaining('after the newest event') });
    await expect(api.replay.asOf.query({ at: Date.now() + 60_000 })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' }, message: expect.stringContaining('in the future') });
    await expect(api.replay.asOf.query({ at: 'soon' as never })).rejects.toBeInstanceOf(TRPCClientError);
  });
});

describe('the desk as of a moment retention has pruned', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({
      desk: { journal: { path: ':memory:', retainEvents: 5 }, checkpoints: { everyEvents: 3, checkMs: 3_600_000 } },
    });
  });
  afterAll(() => desk.close());

  it('is refused with the oldest moment that can be rebuilt, which itself loads', async () => {
    const api = desk.client();
    const first = await api.feeds.pushNotification.mutate({ title: 'first', body: 'b', severity: 'info' });
    for (let i = 0; i < 20; i++) {
      await api.feeds.pushNotification.mutate({ title: `n${i}`, body: 'b', severity: 'info' });
      desk.app.desk.replay!.checkpointer.step();
    }
    while (desk.app.desk.journal!.prune() > 0);
    desk.app.desk.replay!.checkpointer.step();
    const window = await api.replay.window.query();
    expect(Number(window.from!.eventId)).toBeGreaterThanOrEqual(desk.app.desk.journal!.floor);
    await expect(api.replay.asOf.query({ at: first.eventId! })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
      message: expect.stringContaining(`oldest moment the desk can rebuild (event id ${window.from!.eventId}`),
    });
    await expect(api.replay.asOf.query({ at: 0 })).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    const oldest = await api.replay.asOf.query({ at: window.from!.eventId });
    expect(oldest.eventId).toBe(window.from!.eventId);
    expect(oldest.logs.notifications.length).toBeGreaterThan(0);
  });
});
