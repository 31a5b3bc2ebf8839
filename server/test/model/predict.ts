import { canonical, type LogTopicName } from './catalog';
import type { MutationCmd, Settings } from './commands';
import { violation, type Reference, type Row, type State } from './reference';

/** What the runner hands a prediction once the desk acknowledged a commit. */
export interface Outcome {
  at: string;
  id: number;
  result: Record<string, unknown>;
  state: State;
  appended: Partial<Record<LogTopicName, Row[]>>;
  t0: number;
  t1: number;
}

/** What the model expects of a mutation: that it fails (and why), and what its commit holds. */
export interface Expected {
  fails?: string;
  /** The input itself is refused (by its schema), before its idempotency key is looked at. */
  invalidInput?: boolean;
  /** Always changes something (appends to a log), so eventId null is wrong. */
  commits?: boolean;
  check(outcome: Outcome): void;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/** The items a log topic must have received in this commit: `want` without ids and times, in order. */
function expectAppended(o: Outcome, topic: LogTopicName, want: Row[]): void {
  const got = o.appended[topic] ?? [];
  const shape = (items: Row[]) => canonical(items.map(({ id: _id, ts: _ts, ...rest }) => rest));
  if (shape(got) !== shape(want)) violation(`${o.at}: ${topic} received ${shape(got)}, expected ${shape(want)}`);
  for (const item of got) {
    const ts = item.ts as number;
    if (typeof ts === 'number' && (ts < o.t0 - 1 || ts > o.t1 + 1)) violation(`${o.at}: ${topic} item stamped ${ts}, outside the call (${o.t0}..${o.t1})`);
  }
}

/** The one item of a plain feed mutation, under the id the commit's event id makes. */
function feedItem(o: Outcome, topic: LogTopicName, prefix: string, fields: Row): void {
  expectAppended(o, topic, [fields]);
  const id = o.appended[topic]?.[0]?.id;
  if (id !== `${prefix}-${o.id.toString(36)}`) violation(`${o.at}: ${topic} item id ${String(id)} is not derived from event id ${o.id}`);
}

/**
 * Rows that remain after an upsert of `key` to `status` when finished rows beyond `limit` are
 * trimmed oldest first (by when each row first appeared), never the row just written.
 */
function trimmed(order: readonly string[], rows: Map<string, Row>, key: string, status: string, limit: number): string[] {
  const next = order.includes(key) ? [...order] : [...order, key];
  const statusOf = (k: string) => (k === key ? status : String(rows.get(k)?.status));
  const finished = next.filter((k) => k !== key && FINISHED.has(statusOf(k)));
  const removed = new Set(finished.slice(0, Math.max(0, finished.length - limit)));
  return next.filter((k) => !removed.has(k));
}

function expectKeys(o: Outcome, topic: 'tasks' | 'workflows', want: string[]): void {
  const got = [...o.state[topic].keys()].sort();
  if (canonical(got) !== canonical([...want].sort())) {
    violation(`${o.at}: ${topic} kept ${canonical(got)}; trimming the oldest finished rows keeps ${canonical([...want].sort())}`);
  }
}

/** The model's expectation for one mutation, from the reference state before it. */
export function expectedEffect(cmd: MutationCmd, model: Reference, settings: Settings): Expected {
  const now = model.current;
  const ok = (check: (o: Outcome) => void): Expected => ({ check });
  const appends = (check: (o: Outcome) => void): Expected => ({ check, commits: true });
  const fail = (why: string): Expected => ({ fails: why, check: () => {} });
  const hasPrice = (symbol: string) => now.prices.has(symbol);
  switch (cmd.k) {
    case 'setPrice': {
      // The default trading band: a set price at most double or half the last tick.
      const last = now.prices.get(cmd.symbol)?.price as number | undefined;
      if (last !== undefined && (cmd.price > last * 2 || cmd.price < last / 2)) return fail('outside the price band');
      return ok((o) => {
        if (o.state.prices.get(cmd.symbol)?.price !== cmd.price) violation(`${o.at}: ${cmd.symbol} is not at ${cmd.price}`);
      });
    }
    case 'nudge':
      return hasPrice(cmd.symbol) ? ok(() => {}) : fail('no price to nudge yet');
    case 'trade':
      if (!hasPrice(cmd.symbol)) return fail('no price yet');
      return appends((o) => {
        const trade = o.result.trade as Row;
        if (trade.symbol !== cmd.symbol || trade.side !== cmd.side || trade.qty !== cmd.qty) violation(`${o.at}: answered trade ${canonical(trade)}`);
        if (canonical(o.appended.trades) !== canonical([trade])) violation(`${o.at}: the trades log got ${canonical(o.appended.trades)}, the answer was ${canonical(trade)}`);
      });
    case 'status':
      return ok((o) => {
        if (o.state.agents.get(cmd.agent)?.status !== cmd.status) violation(`${o.at}: agent ${cmd.agent} is not ${cmd.status}`);
      });
    case 'task':
      return ok((o) => {
        const id = String(o.result.id);
        if (cmd.id ? id !== cmd.id : id !== `task-${o.id.toString(36)}`) violation(`${o.at}: answered task id ${id}`);
        const keys = trimmed(model.order.tasks, now.tasks, id, cmd.status, settings.finishedLimit);
        expectKeys(o, 'tasks', keys);
        if (o.state.tasks.get(id)?.status !== cmd.status) violation(`${o.at}: task ${id} is not ${cmd.status}`);
        model.order.tasks = keys;
      });
    case 'workflow': {
      const current = cmd.run ? now.workflows.get(cmd.run) : undefined;
      if (current && current.workflowId !== cmd.workflowId) return fail('the run belongs to another workflow');
      return ok((o) => {
        const id = String(o.result.executionId);
        if (cmd.run ? id !== cmd.run : id !== `run-${o.id.toString(36)}`) violation(`${o.at}: answered run id ${id}`);
        const keys = trimmed(model.order.workflows, now.workflows, id, cmd.status, settings.finishedLimit);
        expectKeys(o, 'workflows', keys);
        const run = o.state.workflows.get(id);
        if (run?.status !== cmd.status) violation(`${o.at}: run ${id} is not ${cmd.status}`);
        // The agent a step names, else the run's, else none; nothing here sets a result or an error.
        const agentId = cmd.agent !== undefined ? cmd.agent : current ? current.agentId : null;
        if (run && (run.agentId !== agentId || run.result !== null || run.error !== null)) violation(`${o.at}: run ${id} is ${canonical(run)}, expected agent ${String(agentId)}`);
        model.order.workflows = keys;
      });
    }
    case 'decision': {
      const trades = cmd.qty !== undefined && cmd.action !== 'hold';
      if (trades && !hasPrice(cmd.symbol)) return fail('no price to execute at');
      return appends((o) => {
        const tradeId = trades ? ((o.appended.trades?.[0]?.id as string | undefined) ?? 'missing') : null;
        feedItem(o, 'decisions', 'dec', { agentId: cmd.agent, symbol: cmd.symbol, action: cmd.action, confidence: 0.7, reasoning: 'r', tradeId });
        if ((o.appended.trades?.length ?? 0) !== (trades ? 1 : 0)) violation(`${o.at}: ${o.appended.trades?.length ?? 0} trades for one decision`);
      });
    }
    case 'createRule':
      return ok((o) => {
        const rule = o.state.alertRules.get(cmd.id);
        if (!rule || rule.symbol !== cmd.symbol || rule.threshold !== cmd.threshold || rule.condition !== cmd.condition) violation(`${o.at}: rule ${cmd.id} is ${canonical(rule)}`);
      });
    case 'deleteRule':
      if (!now.alertRules.has(cmd.id)) return fail('no such rule');
      return ok((o) => {
        if (o.state.alertRules.has(cmd.id)) violation(`${o.at}: rule ${cmd.id} is still there`);
      });
    case 'dismiss': {
      const ids = [...now.alerts.keys()];
      const id = ids[cmd.pick % Math.max(1, ids.length)];
      if (id === undefined) return fail('no such alert');
      return ok((o) => {
        if (o.state.alerts.has(id)) violation(`${o.at}: alert ${id} is still there`);
      });
    }
    case 'clearAlerts':
      return ok((o) => {
        if (o.state.alerts.size > 0) violation(`${o.at}: ${o.state.alerts.size} alerts left`);
      });
    case 'signal':
      return appends((o) => feedItem(o, 'signals', 'sig', { symbol: cmd.symbol, kind: 'k', strength: cmd.strength, source: 'manual' }));
    case 'notify':
      return appends((o) => feedItem(o, 'notifications', 'ntf', { title: 'n', body: 'b', severity: cmd.severity }));
    case 'sysAlert':
      return appends((o) => feedItem(o, 'systemAlerts', 'sys', { component: 'c', severity: cmd.severity, message: 'm' }));
    case 'custom':
      return appends((o) => feedItem(o, 'custom', 'cst', { type: cmd.type, data: cmd.data }));
    case 'metrics':
      return appends(() => {});
    case 'memory':
      if (cmd.action !== 'created' && cmd.memory === undefined) return { ...fail('no memoryId to update'), invalidInput: true };
      return appends((o) =>
        feedItem(o, 'memories', 'mem', {
          memoryId: cmd.memory ?? `mry-${o.id.toString(36)}`,
          agentId: cmd.agent,
          action: cmd.action,
          content: 'c',
          importance: cmd.importance,
          tags: cmd.tags,
        }),
      );
  }
}
