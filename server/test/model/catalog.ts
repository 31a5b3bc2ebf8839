import { severityRank, type Severity } from '../../../shared/schema/common';

/** The durable state topics (latest and keyed) and the log topics the model follows. */
export const STATE_TOPICS = ['prices', 'portfolio', 'positions', 'agents', 'tasks', 'workflows', 'alerts', 'alertRules'] as const;
export const LOG_TOPICS = ['trades', 'decisions', 'signals', 'notifications', 'systemAlerts', 'custom', 'metrics', 'memories'] as const;
export type StateTopicName = (typeof STATE_TOPICS)[number];
export type LogTopicName = (typeof LOG_TOPICS)[number];
export type TopicName = StateTopicName | LogTopicName;

/** Keyed topics write one `events` row per changed row; latest topics write none. */
export const KEYED_TOPICS: ReadonlySet<TopicName> = new Set(['positions', 'agents', 'tasks', 'workflows', 'alerts', 'alertRules']);

export const SYMBOLS = ['AAA', 'BBB'] as const;
export const AGENTS = ['ag-1', 'ag-2'] as const;

type Row = Record<string, unknown>;

/** One way to subscribe: the input a client sends and the plain predicate it means. */
export interface FilterChoice {
  input: Record<string, unknown>;
  match: (row: Row) => boolean;
}

export interface TopicSpec {
  name: TopicName;
  /** The subscription procedure, as `router.procedure`. */
  path: string;
  keyOf: (row: Row) => string;
  filters: FilterChoice[];
}

const all: FilterChoice = { input: {}, match: () => true };
const atLeast = (min: Severity): FilterChoice => ({
  input: { minSeverity: min },
  match: (row) => severityRank[row.severity as Severity] >= severityRank[min],
});
const symbolIs = (symbol: string): FilterChoice => ({ input: { symbols: [symbol] }, match: (row) => row.symbol === symbol });
const fieldIs = (inputName: string, field: string, value: string): FilterChoice => ({
  input: { [inputName]: value },
  match: (row) => row[field] === value,
});
const byId = (row: Row) => String(row.id);

/** Every topic class, with the filters the test subscribes with (the first is "everything"). */
export const TOPICS: Record<TopicName, TopicSpec> = {
  prices: { name: 'prices', path: 'market.onPrices', keyOf: (r) => String(r.symbol), filters: [all, symbolIs('AAA')] },
  portfolio: { name: 'portfolio', path: 'market.onPortfolio', keyOf: () => 'portfolio', filters: [all] },
  positions: { name: 'positions', path: 'market.onPositions', keyOf: byId, filters: [all, symbolIs('BBB')] },
  agents: { name: 'agents', path: 'agents.onAgents', keyOf: byId, filters: [all, { input: { ids: ['ag-1'] }, match: (r) => r.id === 'ag-1' }] },
  tasks: { name: 'tasks', path: 'agents.onTasks', keyOf: byId, filters: [all, fieldIs('agentId', 'agentId', 'ag-2')] },
  workflows: { name: 'workflows', path: 'agents.onWorkflows', keyOf: (r) => String(r.executionId), filters: [all, fieldIs('workflowId', 'workflowId', 'wf-1')] },
  alerts: { name: 'alerts', path: 'alerts.onAlerts', keyOf: byId, filters: [all, atLeast('critical')] },
  alertRules: { name: 'alertRules', path: 'alerts.onRules', keyOf: byId, filters: [all, symbolIs('AAA')] },
  trades: { name: 'trades', path: 'market.onTrades', keyOf: byId, filters: [all, symbolIs('AAA')] },
  decisions: { name: 'decisions', path: 'agents.onDecisions', keyOf: byId, filters: [all, fieldIs('agentId', 'agentId', 'ag-1')] },
  signals: { name: 'signals', path: 'feeds.onSignals', keyOf: byId, filters: [all, symbolIs('BBB')] },
  notifications: { name: 'notifications', path: 'feeds.onNotifications', keyOf: byId, filters: [all, atLeast('warning')] },
  systemAlerts: { name: 'systemAlerts', path: 'feeds.onSystemAlerts', keyOf: byId, filters: [all, atLeast('critical')] },
  custom: { name: 'custom', path: 'feeds.onCustom', keyOf: byId, filters: [all, fieldIs('type', 'type', 'ty-1')] },
  metrics: { name: 'metrics', path: 'feeds.onMetrics', keyOf: byId, filters: [all, fieldIs('name', 'name', 'm_b')] },
  memories: {
    name: 'memories',
    path: 'agents.onMemory',
    keyOf: byId,
    filters: [
      all,
      fieldIs('agentId', 'agentId', 'ag-2'),
      { input: { tags: ['tg-b', 'tg-c'], minImportance: 0.5 }, match: (r) => (r.tags as string[]).some((t) => t === 'tg-b' || t === 'tg-c') && (r.importance as number) >= 0.5 },
    ],
  },
};

export const isLogTopic = (name: TopicName): name is LogTopicName => (LOG_TOPICS as readonly string[]).includes(name);

/** JSON with object keys sorted, so two equal values print the same whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
