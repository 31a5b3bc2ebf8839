import type { AppRouter } from '../server/root';

type ProcedureKind = 'query' | 'mutation' | 'subscription';

/** `'market.executeTrade' | …`: the dotted paths of a router record's procedures of one kind. */
type PathsOf<TRecord, TKind extends ProcedureKind, TPrefix extends string = ''> = {
  [K in keyof TRecord & string]: TRecord[K] extends { _def: { procedure: true; type: infer T } }
    ? T extends TKind
      ? `${TPrefix}${K}`
      : never
    : PathsOf<TRecord[K], TKind, `${TPrefix}${K}.`>;
}[keyof TRecord & string];

type Record_ = AppRouter['_def']['record'];
/** Every query of the desk, as a dotted path. */
export type QueryPath = PathsOf<Record_, 'query'>;
/** Every mutation of the desk, as a dotted path. */
export type MutationPath = PathsOf<Record_, 'mutation'>;
/** Every subscription of the desk, as a dotted path. */
export type SubscriptionPath = PathsOf<Record_, 'subscription'>;

/** Fails to compile, naming the paths, unless `TListed` covers all of `TAll`. */
type Complete<TAll, TListed> = [Exclude<TAll, TListed>] extends [never] ? true : { missing: Exclude<TAll, TListed> };

// The CLI must know a procedure's kind before calling it (tRPC's client proxy answers `'mutate' in
// fn` with false for every path), and importing the router's value would pull the server into
// shared/. So the kinds are listed here and checked against the router's type: adding a procedure
// without listing it, or listing a wrong one, is a compile error.
const queries = [
  'market.prices',
  'market.portfolio',
  'market.positions',
  'market.trades',
  'market.candles',
  'market.equityHistory',
  'agents.agents',
  'agents.tasks',
  'agents.workflows',
  'agents.decisions',
  'agents.commands',
  'agents.stats',
  'agents.view',
  'alerts.rules',
  'alerts.alerts',
  'system.health',
  'system.whoami',
  'system.stats',
  'system.simulator',
  'system.presence',
  'system.audit',
  'system.revocations',
  'replay.window',
  'replay.asOf',
  'history.trades',
  'history.decisions',
  'history.signals',
  'history.notifications',
  'history.systemAlerts',
  'history.custom',
  'history.metrics',
  'history.memories',
] as const satisfies readonly QueryPath[];
const mutations = [
  'market.setPrice',
  'market.executeTrade',
  'agents.setStatus',
  'agents.upsertTask',
  'agents.workflowStep',
  'agents.recordDecision',
  'agents.sendCommand',
  'agents.acknowledgeCommand',
  'agents.recordMemory',
  'alerts.createRule',
  'alerts.deleteRule',
  'alerts.dismiss',
  'alerts.clear',
  'feeds.publishSignal',
  'feeds.pushNotification',
  'feeds.raiseSystemAlert',
  'feeds.broadcastCustom',
  'feeds.recordMetrics',
  'system.controlSimulator',
  'system.revokeToken',
] as const satisfies readonly MutationPath[];
const queriesComplete: Complete<QueryPath, (typeof queries)[number]> = true;
const mutationsComplete: Complete<MutationPath, (typeof mutations)[number]> = true;
void queriesComplete;
void mutationsComplete;

/** Whether `call <path>` sends a query or a mutation; undefined for a path that is neither. */
export function procedureKind(path: string): 'query' | 'mutation' | undefined {
  if ((queries as readonly string[]).includes(path)) return 'query';
  if ((mutations as readonly string[]).includes(path)) return 'mutation';
  return undefined;
}

/** The paths `call` accepts, for usage and error messages. */
export const CALLABLE_PATHS: readonly string[] = [...queries, ...mutations];
