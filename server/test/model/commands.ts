import fc from 'fast-check';
import type { DiskState } from './disk';
import { AGENTS, STATE_TOPICS, LOG_TOPICS, SYMBOLS, type TopicName } from './catalog';

/**
 * What the property test does, as plain data (so a shrunk sequence prints and replays as is).
 * Mutations are sent as a client would send them; the rest drives subscribers and the desk's life.
 */
export type Cmd =
  | { k: 'setPrice'; symbol: string; price: number; key?: string }
  | { k: 'nudge'; symbol: string; pct: number; key?: string }
  | { k: 'trade'; symbol: string; side: 'buy' | 'sell'; qty: number; key?: string }
  | { k: 'status'; agent: string; status: 'idle' | 'busy' | 'error'; key?: string }
  | { k: 'task'; id?: string; agent: string | null; status: 'pending' | 'running' | 'completed' | 'failed'; key?: string }
  | { k: 'workflow'; workflowId: string; run?: string; agent?: string | null; status: 'pending' | 'running' | 'completed' | 'failed'; progress: number; key?: string }
  | { k: 'decision'; agent: string; symbol: string; action: 'buy' | 'sell' | 'hold'; qty?: number; key?: string }
  | { k: 'createRule'; id: string; symbol: string; condition: 'above' | 'below'; threshold: number; severity: 'warning' | 'critical'; key?: string }
  | { k: 'deleteRule'; id: string; key?: string }
  | { k: 'dismiss'; pick: number; key?: string }
  | { k: 'clearAlerts'; key?: string }
  | { k: 'signal'; symbol: string; strength: number; key?: string }
  | { k: 'notify'; severity: 'info' | 'warning' | 'critical'; key?: string }
  | { k: 'sysAlert'; severity: 'info' | 'warning' | 'critical'; key?: string }
  | { k: 'custom'; type: string; data: number; key?: string }
  | { k: 'metrics'; name: string; count: number; key?: string }
  | { k: 'memory'; agent: string; memory?: string; action: 'created' | 'accessed' | 'deleted'; importance: number; tags: string[]; key?: string }
  /** Several full metric requests in a row: enough rows for retention to prune in more than one batch. */
  | { k: 'metricsBurst'; requests: number }
  | { k: 'subscribe'; topic: TopicName; filter: number; from: From; limit: number }
  /** One subscription to every topic, all from the same start. */
  | { k: 'subscribeAll'; filter: number; from: From; limit: number }
  | { k: 'unsubscribe'; pick: number }
  /** `rejoin`: then a client that was away subscribes to every topic from that many ids before the restart. */
  | { k: 'restart'; crash: boolean; rejoin?: number }
  | { k: 'prune' }
  | { k: 'disk'; state: DiskState }
  /** The desk's state as of an id the model saw (`pick` counts back from the newest), rebuilt from the journal. */
  | { k: 'asOf'; pick: number }
  /** A checkpoint written now, as the desk's timer writes them. */
  | { k: 'checkpoint' };

/** Where a new subscription starts: fresh, an id the model saw (any run), before everything, the future. */
export type From = { at: 'none' } | { at: 'seen'; pick: number } | { at: 'zero' } | { at: 'future' };

export type MutationCmd = Exclude<Cmd, { k: 'metricsBurst' | 'subscribe' | 'subscribeAll' | 'unsubscribe' | 'restart' | 'prune' | 'disk' | 'asOf' | 'checkpoint' }>;

const symbol = fc.constantFrom(...SYMBOLS);
const agent = fc.constantFrom(...AGENTS);
const severity = fc.constantFrom('info' as const, 'warning' as const, 'critical' as const);
/** A few shared idempotency keys, so retries and reuse across mutations happen. */
const key = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5') });
// Within the default trading band (a price at most double or half the last tick).
const price = fc.integer({ min: 70, max: 130 });

export const mutationArb: fc.Arbitrary<MutationCmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('setPrice' as const), symbol, price, key }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('nudge' as const), symbol, pct: fc.constantFrom(-0.1, 0.05, 0.2), key }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('trade' as const), symbol, side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 5 }), key }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('status' as const), agent, status: fc.constantFrom('idle' as const, 'busy' as const, 'error' as const), key }) },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        k: fc.constant('task' as const),
        id: fc.constantFrom('t-1', 't-3', 't-2', 't-4'),
        agent: fc.constantFrom(null, ...AGENTS),
        status: fc.constantFrom('pending' as const, 'running' as const, 'completed' as const, 'failed' as const),
        key,
      },
      { requiredKeys: ['k', 'agent', 'status'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        k: fc.constant('workflow' as const),
        workflowId: fc.constantFrom('wf-1', 'wf-2'),
        run: fc.constantFrom('r-2', 'r-1', 'r-3'),
        agent: fc.constantFrom(null, ...AGENTS),
        status: fc.constantFrom('pending' as const, 'running' as const, 'completed' as const, 'failed' as const),
        progress: fc.constantFrom(0, 0.5, 1),
        key,
      },
      { requiredKeys: ['k', 'workflowId', 'status', 'progress'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      { k: fc.constant('decision' as const), agent, symbol, action: fc.constantFrom('buy' as const, 'sell' as const, 'hold' as const), qty: fc.integer({ min: 1, max: 3 }), key },
      { requiredKeys: ['k', 'agent', 'symbol', 'action'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('createRule' as const),
      id: fc.constantFrom('rule-1', 'rule-2', 'rule-3'),
      symbol,
      condition: fc.constantFrom('above' as const, 'below' as const),
      threshold: price,
      severity: fc.constantFrom('warning' as const, 'critical' as const),
      key,
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('deleteRule' as const), id: fc.constantFrom('rule-1', 'rule-2', 'rule-3'), key }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('dismiss' as const), pick: fc.nat(5), key }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('clearAlerts' as const), key }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('signal' as const), symbol, strength: fc.constantFrom(-1, 0.5, 1), key }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('notify' as const), severity, key }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('sysAlert' as const), severity, key }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('custom' as const), type: fc.constantFrom('ty-1', 'ty-2'), data: fc.nat(1000), key }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('metrics' as const), name: fc.constantFrom('m_a', 'm_b'), count: fc.constantFrom(1, 2, 7), key }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        k: fc.constant('memory' as const),
        agent,
        memory: fc.constantFrom('mm-1', 'mm-2'),
        action: fc.constantFrom('created' as const, 'accessed' as const, 'deleted' as const),
        importance: fc.constantFrom(0, 0.5, 1),
        tags: fc.subarray(['tg-a', 'tg-b', 'tg-c']),
        key,
      },
      { requiredKeys: ['k', 'agent', 'action', 'importance', 'tags'] },
    ),
  },
);

const from: fc.Arbitrary<From> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ at: 'none' as const }) },
  // `pick` counts back from the newest id: mostly recent ones, sometimes far back.
  { weight: 5, arbitrary: fc.record({ at: fc.constant('seen' as const), pick: fc.oneof({ weight: 3, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.nat(1000) }) }) },
  { weight: 1, arbitrary: fc.constant({ at: 'zero' as const }) },
  { weight: 1, arbitrary: fc.constant({ at: 'future' as const }) },
);

/** Which of the desk's harder situations a run may get into. */
export interface Features {
  /** The database's file may be full. */
  fullDisk: boolean;
  /** Bursts of thousands of metric rows, so retention prunes in several batches. */
  bulkRows: boolean;
  /** Small caps on finished tasks and workflow runs, so the oldest are trimmed. */
  trimming: boolean;
}

const other = (features: Features): fc.Arbitrary<Cmd> => fc.oneof(
  ...(features.fullDisk ? [{ weight: 5, arbitrary: fc.record({ k: fc.constant('disk' as const), state: fc.constantFrom<DiskState>('ok', 'capped', 'full') }) }] : []),
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('subscribe' as const),
      topic: fc.constantFrom<TopicName>(...STATE_TOPICS, ...LOG_TOPICS),
      filter: fc.nat(1),
      from,
      limit: fc.constantFrom(0, 1, 3, 5),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('subscribeAll' as const), filter: fc.nat(1), from, limit: fc.constantFrom(0, 1, 3, 5) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('unsubscribe' as const), pick: fc.nat(10) }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('restart' as const), crash: fc.boolean(), rejoin: fc.nat(4) }, { requiredKeys: ['k', 'crash'] }),
  },
  { weight: 2, arbitrary: fc.constant({ k: 'prune' as const }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('asOf' as const), pick: fc.oneof({ weight: 3, arbitrary: fc.nat(4) }, { weight: 1, arbitrary: fc.nat(1000) }) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'checkpoint' as const }) },
  ...(features.bulkRows ? [{ weight: 2, arbitrary: fc.record({ k: fc.constant('metricsBurst' as const), requests: fc.constantFrom(2, 6) }) }] : []),
);

/** A run's sequence of commands. */
export const commandsArb = (maxLength: number, features: Features) =>
  fc.array(fc.oneof({ weight: 3, arbitrary: mutationArb }, { weight: 2, arbitrary: other(features) }), { minLength: 1, maxLength, size: 'max' });

/** The desk's settings for one run: small limits so trimming, eviction and retention all happen. */
export interface Settings {
  replayCapacity: number;
  retainEvents: number;
  finishedLimit: number;
  alertsLimit: number;
}

export const settingsArb = (features: Features): fc.Arbitrary<Settings> =>
  fc.record({
    replayCapacity: fc.constantFrom(5, 10_000),
    retainEvents: fc.constantFrom(3, 20),
    finishedLimit: features.trimming ? fc.constantFrom(1, 2) : fc.constant(1000),
    alertsLimit: fc.constantFrom(2, 50),
  });

/** The procedure and input a client sends for a mutation command. */
export function toMutation(cmd: MutationCmd, alertIds: readonly string[]): { path: string; input: Record<string, unknown> } {
  const idem = cmd.key === undefined ? {} : { idempotencyKey: cmd.key };
  const m = (path: string, input: Record<string, unknown>) => ({ path, input: { ...input, ...idem } });
  switch (cmd.k) {
    case 'setPrice': return m('market.setPrice', { symbol: cmd.symbol, price: cmd.price });
    case 'nudge': return m('market.setPrice', { symbol: cmd.symbol, nudgePct: cmd.pct });
    case 'trade': return m('market.executeTrade', { symbol: cmd.symbol, side: cmd.side, qty: cmd.qty });
    case 'status': return m('agents.setStatus', { id: cmd.agent, status: cmd.status });
    case 'task': return m('agents.upsertTask', { ...(cmd.id ? { id: cmd.id } : {}), agentId: cmd.agent, status: cmd.status });
    case 'workflow':
      return m('agents.workflowStep', {
        workflowId: cmd.workflowId,
        ...(cmd.run ? { executionId: cmd.run } : {}),
        ...(cmd.agent !== undefined ? { agentId: cmd.agent } : {}),
        stage: `s-${cmd.progress}`,
        status: cmd.status,
        progress: cmd.progress,
      });
    case 'decision':
      return m('agents.recordDecision', { agentId: cmd.agent, symbol: cmd.symbol, action: cmd.action, confidence: 0.7, reasoning: 'r', ...(cmd.qty ? { executeQty: cmd.qty } : {}) });
    case 'createRule':
      return m('alerts.createRule', { id: cmd.id, symbol: cmd.symbol, condition: cmd.condition, threshold: cmd.threshold, severity: cmd.severity });
    case 'deleteRule': return m('alerts.deleteRule', { id: cmd.id });
    case 'dismiss': return m('alerts.dismiss', { id: alertIds[cmd.pick % Math.max(1, alertIds.length)] ?? 'alr-none' });
    case 'clearAlerts': return m('alerts.clear', {});
    case 'signal': return m('feeds.publishSignal', { symbol: cmd.symbol, kind: 'k', strength: cmd.strength });
    case 'notify': return m('feeds.pushNotification', { title: 'n', body: 'b', severity: cmd.severity });
    case 'sysAlert': return m('feeds.raiseSystemAlert', { component: 'c', severity: cmd.severity, message: 'm' });
    case 'custom': return m('feeds.broadcastCustom', { type: cmd.type, data: cmd.data });
    case 'metrics':
      return m('feeds.recordMetrics', { samples: Array.from({ length: cmd.count }, (_, i) => ({ name: cmd.name, value: i, labels: { i: String(i) }, ts: 1_700_000_000_000 + i })) });
    case 'memory':
      return m('agents.recordMemory', { agentId: cmd.agent, ...(cmd.memory ? { memoryId: cmd.memory } : {}), action: cmd.action, content: 'c', importance: cmd.importance, tags: cmd.tags });
  }
}

/** Topics a mutation may change; a change anywhere else is a defect. */
export function topicsTouched(cmd: MutationCmd): ReadonlySet<TopicName> {
  const market: TopicName[] = ['prices', 'positions', 'portfolio', 'alertRules', 'alerts'];
  const trade: TopicName[] = ['positions', 'portfolio', 'trades'];
  switch (cmd.k) {
    case 'setPrice': case 'nudge': return new Set(market);
    case 'trade': return new Set(trade);
    case 'status': return new Set(['agents']);
    case 'task': return new Set(['tasks']);
    case 'workflow': return new Set(['workflows']);
    case 'decision': return new Set(['decisions', ...trade]);
    case 'createRule': case 'deleteRule': return new Set(['alertRules']);
    case 'dismiss': case 'clearAlerts': return new Set(['alerts']);
    case 'signal': return new Set(['signals']);
    case 'notify': return new Set(['notifications']);
    case 'sysAlert': return new Set(['systemAlerts']);
    case 'custom': return new Set(['custom']);
    case 'metrics': return new Set(['metrics']);
    case 'memory': return new Set(['memories']);
  }
}
