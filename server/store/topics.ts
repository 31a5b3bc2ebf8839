import type { AgentCommand } from '../../shared/schema/agent-commands';
import { upgradeAgent, upgradeWorkflowRun, type Agent, type Decision, type Task, type WorkflowRun } from '../../shared/schema/agents';
import type { MemoryEvent } from '../../shared/schema/memory';
import type {
  Alert,
  AlertRule,
  DeskCustomEvent,
  MetricSample,
  DeskNotification,
  Signal,
  SystemAlert,
} from '../../shared/schema/feeds';
import type { Presence } from '../../shared/schema/presence';
import type { Candle } from '../../shared/schema/candles';
import type { Portfolio, Position, PriceTick, Trade } from '../../shared/schema/market';
import type { Health, Revocation, Stats } from '../../shared/schema/system';
import type { Hub } from '../hub/hub';

const byId = (item: { id: string }) => item.id;

/** The `candles` topic's key of a symbol's open bar of an interval. */
export const candleKey = (symbol: string, interval: string) => `${symbol}|${interval}`;

/** Declares every topic of the desk and its delivery class. */
export function declareTopics(hub: Hub) {
  return {
    // latest: the current value per key
    prices: hub.state<PriceTick>({ name: 'prices', deliveryClass: 'latest', keyOf: (t) => t.symbol }),
    portfolio: hub.state<Portfolio>({ name: 'portfolio', deliveryClass: 'latest', keyOf: () => 'portfolio', deltas: true }),
    /** The open bar of each symbol and interval; closed bars are kept in the journal (CandleArchive). */
    candles: hub.state<Candle>({ name: 'candles', deliveryClass: 'latest', keyOf: (c) => candleKey(c.symbol, c.interval) }),
    // keyed: rows by id, upserts and removes. `deltas`: a change touches few of a row's fields, so
    // subscribers that ask get patches; a price tick or an open bar changes nearly all of theirs.
    positions: hub.state<Position>({ name: 'positions', deliveryClass: 'keyed', keyOf: byId, deltas: true }),
    agents: hub.state<Agent>({ name: 'agents', deliveryClass: 'keyed', keyOf: byId, deltas: true, upgrade: upgradeAgent }),
    tasks: hub.state<Task>({ name: 'tasks', deliveryClass: 'keyed', keyOf: byId, deltas: true }),
    workflows: hub.state<WorkflowRun>({ name: 'workflows', deliveryClass: 'keyed', keyOf: (w) => w.executionId, deltas: true, upgrade: upgradeWorkflowRun }),
    /** Operators' commands to agents and their answers (see AgentCommands). */
    agentCommands: hub.state<AgentCommand>({ name: 'agentCommands', deliveryClass: 'keyed', keyOf: byId, deltas: true }),
    alertRules: hub.state<AlertRule>({ name: 'alertRules', deliveryClass: 'keyed', keyOf: byId, deltas: true }),
    alerts: hub.state<Alert>({ name: 'alerts', deliveryClass: 'keyed', keyOf: byId, deltas: true }),
    /** Revoked token ids and names (no stream; read by the role check). */
    revocations: hub.state<Revocation>({ name: 'revocations', deliveryClass: 'keyed', keyOf: byId }),
    // log: every event in order
    decisions: hub.log<Decision>({ name: 'decisions', keyOf: byId }),
    trades: hub.log<Trade>({ name: 'trades', keyOf: byId }),
    signals: hub.log<Signal>({ name: 'signals', keyOf: byId }),
    notifications: hub.log<DeskNotification>({ name: 'notifications', keyOf: byId }),
    systemAlerts: hub.log<SystemAlert>({ name: 'systemAlerts', keyOf: byId }),
    custom: hub.log<DeskCustomEvent>({ name: 'custom', keyOf: byId }),
    metrics: hub.log<MetricSample>({ name: 'metrics', keyOf: byId }),
    /** Agents' memory events: created, updated, accessed, deleted (see AgentMemory). */
    memories: hub.log<MemoryEvent>({ name: 'memories', keyOf: byId }),
    // derived: this instance's readings, no event ids (see DerivedTopic)
    health: hub.derived<Health>('health'),
    stats: hub.derived<Stats>('stats'),
    /** Who is connected (every instance's connections, in a cluster). */
    presence: hub.derived<Presence>('presence'),
  };
}

export type DeskTopics = ReturnType<typeof declareTopics>;
