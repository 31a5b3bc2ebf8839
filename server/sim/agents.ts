import type { AgentStatus } from '../../shared/schema/agents';
import type { CommandExecutor } from '../store/commands';
import type { Desk } from '../store/desk';
import type { Random } from './random';

const AGENTS = [
  { id: 'momentum-1', name: 'Momentum' },
  { id: 'meanrev-1', name: 'Mean Reversion' },
  { id: 'news-1', name: 'News Sentiment' },
  { id: 'risk-1', name: 'Risk Monitor' },
];
const TASK_TYPES = ['scan-market', 'rebalance', 'fetch-news', 'risk-check', 'backtest'];
const STAGES = ['ingest', 'analyse', 'decide', 'execute', 'report'];
const REASONS = [
  'short-term momentum above threshold',
  'price stretched from its moving average',
  'positive news flow on volume',
  'volatility rising; reducing exposure',
  'signal too weak to act',
];

const MEMORIES = [
  { content: 'momentum fades after the open on low volume', tags: ['market', 'pattern'] },
  { content: 'spreads widen before announcements', tags: ['market', 'risk'] },
  { content: 'mean reversion works best in a range-bound session', tags: ['strategy'] },
  { content: 'a drawdown past 2 % calls for smaller lots', tags: ['risk', 'sizing'] },
  { content: 'headline sentiment leads price by a few ticks', tags: ['news', 'pattern'] },
];
/** Memories one simulated agent keeps at most; the oldest is deleted to make room. */
const MEMORIES_PER_AGENT = 6;

/** A quantity worth roughly 1,000-10,000 at `price`, in whole units where that makes sense. */
function lotFor(price: number, random: Random): number {
  const qty = (1000 + random.next() * 9000) / price;
  return qty >= 1 ? Math.round(qty) : Math.round(qty * 1e4) / 1e4;
}

/** Simulated agents: each action is one of status change, task progress, decision, signal, workflow step. */
export function createAgents(desk: Desk, executor: CommandExecutor, random: Random, runId: string) {
  const tasks = new Map<string, string>(); // agent id -> running task id
  const runs = new Map<string, { executionId: string; stage: number }>();
  const memories = new Map<string, Array<{ id: string; importance: number; tags: string[] }>>(); // agent id -> its memories
  let registered = false;
  let serial = 0;
  // The simulator names what it creates, so it needs no answer back (its commands may travel through a log).
  const nextId = (prefix: string) => `${prefix}-${runId}-${++serial}`;

  function register(): void {
    registered = true;
    for (const agent of AGENTS) executor.submit('agents.setStatus', { ...agent, status: 'idle', cpu: 2, memory: 128, connections: 1 });
  }

  function status(agentId: string, value: AgentStatus, currentTaskId: string | null): void {
    executor.submit('agents.setStatus', {
      id: agentId,
      status: value,
      currentTaskId,
      cpu: Math.round(5 + random.next() * 90),
      memory: Math.round(100 + random.next() * 400),
      connections: 1 + random.int(4),
    });
  }

  function progressTask(agentId: string): void {
    const taskId = tasks.get(agentId);
    if (!taskId) {
      const id = nextId('task');
      executor.submit('agents.upsertTask', { id, agentId, type: random.pick(TASK_TYPES), priority: random.pick(['low', 'normal', 'high'] as const), status: 'running', progress: 0 });
      tasks.set(agentId, id);
      status(agentId, 'busy', id);
      return;
    }
    const task = desk.topics.tasks.get(taskId);
    const progress = Math.min(1, (task?.progress ?? 0) + 0.2 + random.next() * 0.3);
    if (progress < 1) {
      executor.submit('agents.upsertTask', { id: taskId, progress: Math.round(progress * 100) / 100 });
      return;
    }
    const failed = random.next() < 0.1;
    executor.submit('agents.upsertTask', { id: taskId, status: failed ? 'failed' : 'completed', progress: 1, result: failed ? null : 'ok', error: failed ? 'upstream timeout' : null });
    tasks.delete(agentId);
    status(agentId, failed ? 'error' : 'active', null);
  }

  function decide(agentId: string, symbols: readonly string[]): void {
    const symbol = random.pick(symbols);
    if (desk.market.lastPrice(symbol) === undefined) return;
    const action = random.pick(['buy', 'sell', 'hold'] as const);
    const confidence = Math.round(random.next() * 100) / 100;
    executor.submit('agents.recordDecision', {
      agentId,
      symbol,
      action,
      confidence,
      reasoning: random.pick(REASONS),
      // Orders of a few thousand in notional, so a 64,000 coin and a 120 stock move the book alike.
      executeQty: action !== 'hold' && confidence > 0.6 ? lotFor(desk.market.lastPrice(symbol)!, random) : undefined,
    });
  }

  /** An agent learns something, recalls or refines a memory, or forgets its oldest. */
  function remember(agentId: string): void {
    const mine = memories.get(agentId) ?? [];
    memories.set(agentId, mine);
    const roll = random.next();
    if (mine.length === 0 || (roll < 0.4 && mine.length < MEMORIES_PER_AGENT)) {
      const memory = random.pick(MEMORIES);
      const entry = { id: nextId('memory'), importance: Math.round(random.next() * 100) / 100, tags: memory.tags };
      mine.push(entry);
      executor.submit('agents.recordMemory', { agentId, memoryId: entry.id, action: 'created', content: memory.content, importance: entry.importance, tags: entry.tags });
      return;
    }
    if (roll < 0.4) {
      const oldest = mine.shift()!;
      executor.submit('agents.recordMemory', { agentId, memoryId: oldest.id, action: 'deleted', content: '', importance: oldest.importance, tags: oldest.tags });
      return;
    }
    const entry = random.pick(mine);
    if (roll < 0.8) {
      executor.submit('agents.recordMemory', { agentId, memoryId: entry.id, action: 'accessed', content: '', importance: entry.importance, tags: entry.tags });
      return;
    }
    entry.importance = Math.round(Math.min(1, entry.importance + 0.1) * 100) / 100;
    executor.submit('agents.recordMemory', { agentId, memoryId: entry.id, action: 'updated', content: `${random.pick(MEMORIES).content} (confirmed)`, importance: entry.importance, tags: entry.tags });
  }

  function workflowStep(agentId: string): void {
    const workflowId = random.pick(['daily-rebalance', 'risk-sweep']);
    const run = runs.get(workflowId);
    if (!run) {
      const executionId = nextId('run');
      // A run is queued (pending) before its first stage starts.
      executor.submit('agents.workflowStep', { workflowId, executionId, agentId, stage: 'queued', status: 'pending', progress: 0 });
      runs.set(workflowId, { executionId, stage: -1 });
      return;
    }
    run.stage++;
    const done = run.stage >= STAGES.length;
    const failed = done && random.next() < 0.15;
    executor.submit('agents.workflowStep', {
      workflowId,
      executionId: run.executionId,
      stage: STAGES[Math.min(run.stage, STAGES.length - 1)]!,
      status: failed ? 'failed' : done ? 'completed' : 'running',
      progress: Math.min(1, run.stage / STAGES.length),
      ...(done ? (failed ? { error: 'report upload refused' } : { result: `${workflowId} done` }) : {}),
    });
    if (done) runs.delete(workflowId);
  }

  return {
    act(symbols: readonly string[]): void {
      if (!registered) register();
      const agent = random.pick(AGENTS);
      const roll = random.next();
      if (roll < 0.35) decide(agent.id, symbols);
      else if (roll < 0.7) progressTask(agent.id);
      else if (roll < 0.82) executor.submit('feeds.publishSignal', { symbol: random.pick(symbols), kind: random.pick(['breakout', 'crossover', 'divergence']), strength: Math.round((random.next() * 2 - 1) * 100) / 100 + 0, source: agent.id });
      else if (roll < 0.9) workflowStep(agent.id);
      else if (roll < 0.96) remember(agent.id);
      else executor.submit('feeds.pushNotification', { title: `${agent.name}: heartbeat`, body: 'all systems nominal', severity: 'info' });
    },
  };
}
