import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSchema, workflowRunSchema } from '../../shared/schema/agents';
import type { MemoryEvent } from '../../shared/schema/memory';
import type { StreamMessage } from '../../shared/schema/stream';
import type { AppRouter } from '../root';
import { computeAgentStats } from '../store/agent-stats';
import { agentView } from '../store/agent-view';
import { createDesk } from '../store/desk';
import { collector, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, limits: { mutationsPerSecond: 100_000, mutationBurst: 100_000 } });
});
afterAll(() => desk.close());

const appended = (messages: Array<{ data: StreamMessage<MemoryEvent> }>) =>
  messages.flatMap(({ data }) => (data.type === 'snapshot' || data.type === 'append' ? data.items : []));

async function refusal(call: Promise<unknown>) {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe('agent memory events', () => {
  it('streams memory events filtered by agent, any of the tags and a minimum importance', async () => {
    const api = desk.client();
    const all = collector<StreamMessage<MemoryEvent>>();
    const filtered = collector<StreamMessage<MemoryEvent>>();
    const subAll = api.agents.onMemory.subscribe({}, all);
    const subFiltered = api.agents.onMemory.subscribe({ agentId: 'mem-a', tags: ['risk', 'news'], minImportance: 0.5 }, filtered);
    await all.until((m) => m.length > 0);
    await filtered.until((m) => m.length > 0);
    const created = await api.agents.recordMemory.mutate({ agentId: 'mem-a', content: 'spreads widen at the close', importance: 0.8, tags: ['risk', 'market', 'risk'] });
    expect(created.memory).toMatchObject({ agentId: 'mem-a', action: 'created', importance: 0.8, tags: ['risk', 'market'], memoryId: expect.stringMatching(/^mry-/) });
    await api.agents.recordMemory.mutate({ agentId: 'mem-b', content: 'other agent', importance: 0.9, tags: ['risk'] });
    await api.agents.recordMemory.mutate({ agentId: 'mem-a', memoryId: created.memory.memoryId, action: 'accessed', importance: 0.3, tags: ['risk'] });
    await api.agents.recordMemory.mutate({ agentId: 'mem-a', content: 'untagged', importance: 1, tags: ['market'] });
    const last = await api.agents.recordMemory.mutate({ agentId: 'mem-a', memoryId: created.memory.memoryId, action: 'updated', content: 'confirmed', importance: 0.5, tags: ['news'] });
    await all.until((m) => appended(m).length >= 5);
    await filtered.until((m) => appended(m).some((e) => e.id === last.memory.id));
    expect(appended(filtered.messages).map((e) => e.id)).toEqual([created.memory.id, last.memory.id]);
    expect(appended(all.messages).at(-1)).toEqual(last.memory);
    subAll.unsubscribe();
    subFiltered.unsubscribe();
  });

  it('records once per idempotency key, and refuses bad input with BAD_REQUEST, changing nothing', async () => {
    const api = desk.client();
    const before = desk.app.desk.topics.memories.buffer.size;
    const first = await api.agents.recordMemory.mutate({ agentId: 'mem-c', content: 'x', idempotencyKey: 'memory-once' });
    const again = await api.agents.recordMemory.mutate({ agentId: 'mem-c', content: 'x', idempotencyKey: 'memory-once' });
    expect(again).toEqual(first);
    expect(desk.app.desk.topics.memories.buffer.size).toBe(before + 1);
    const bad = [
      { agentId: 'mem-c', importance: 1.5 },
      { agentId: 'mem-c', action: 'deleted' as const },
      { agentId: 'mem-c', content: 'x'.repeat(2001) },
      { agentId: 'mem-c', tags: Array.from({ length: 17 }, (_, i) => `t${i}`) },
      { agentId: 'mem-c', tags: ['has space'] },
    ];
    for (const input of bad) expect((await refusal(api.agents.recordMemory.mutate(input))).data?.code).toBe('BAD_REQUEST');
    expect((await refusal(api.agents.recordMemory.mutate({ agentId: 'mem-c', action: 'deleted' }))).message).toMatch(/memoryId/);
    expect(desk.app.desk.topics.memories.buffer.size).toBe(before + 1);
  });
});

describe('memory history', () => {
  it('pages back through an agent’s memory events with the stream’s filters, each once', async () => {
    const api = desk.client();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api.agents.recordMemory.mutate({ agentId: 'mem-h', content: `m${i}`, importance: i / 4, tags: [i % 2 ? 'odd' : 'even'] })).memory.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ item: MemoryEvent }>; next: string | null } = await api.history.memories.query({ agentId: 'mem-h', limit: 2, cursor });
      seen.push(...page.items.map(({ item }) => item.id));
      cursor = page.next;
    } while (cursor !== null);
    expect(seen).toEqual([...ids].reverse());
    const odd = await api.history.memories.query({ agentId: 'mem-h', tags: ['odd'], minImportance: 0.5 });
    expect(odd.items.map(({ item }) => item.content)).toEqual(['m3']);
  });
});

describe('agent and workflow records', () => {
  it('keeps an agent’s metadata until replaced, and refuses metadata past its bounds', async () => {
    const api = desk.client();
    await api.agents.setStatus.mutate({ id: 'meta-1', status: 'active', metadata: { model: 'gpt-x', version: 3, owner: { team: 'quant' } } });
    await api.agents.setStatus.mutate({ id: 'meta-1', status: 'busy' });
    expect((await api.agents.agents.query()).find((a) => a.id === 'meta-1')).toMatchObject({ status: 'busy', metadata: { model: 'gpt-x', version: 3, owner: { team: 'quant' } } });
    const deep = (n: number): object => (n === 0 ? {} : { a: deep(n - 1) });
    for (const metadata of [{ blob: 'x'.repeat(9000) }, deep(10)]) {
      const error = await refusal(api.agents.setStatus.mutate({ id: 'meta-1', status: 'idle', metadata: metadata as Record<string, never> }));
      expect(error.data?.code).toBe('BAD_REQUEST');
      expect(error.message).toMatch(/metadata/);
    }
    expect((await api.agents.agents.query()).find((a) => a.id === 'meta-1')?.status).toBe('busy');
  });

  it('runs a workflow from pending, with the agent that runs it, its result or its error', async () => {
    const api = desk.client();
    const { executionId } = await api.agents.workflowStep.mutate({ workflowId: 'wf-rec', stage: 'queued', status: 'pending', progress: 0, agentId: 'wf-agent' });
    const run = () => api.agents.workflows.query().then((runs) => runs.find((r) => r.executionId === executionId));
    expect(await run()).toMatchObject({ status: 'pending', agentId: 'wf-agent', result: null, error: null });
    await api.agents.workflowStep.mutate({ workflowId: 'wf-rec', executionId, stage: 'work', progress: 0.5 });
    expect(await run()).toMatchObject({ status: 'running', agentId: 'wf-agent' });
    await api.agents.workflowStep.mutate({ workflowId: 'wf-rec', executionId, stage: 'done', status: 'failed', progress: 1, error: 'feed down' });
    expect(await run()).toMatchObject({ status: 'failed', agentId: 'wf-agent', error: 'feed down', result: null });
  });
});

describe('agent statistics and view', () => {
  it('answers the statistics a recomputation from the trades and decisions a client received gives', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'STAT', price: 100 });
    const decide = (agentId: string, action: 'buy' | 'sell' | 'hold', confidence: number, executeQty?: number) =>
      api.agents.recordDecision.mutate({ agentId, symbol: 'STAT', action, confidence, ...(executeQty ? { executeQty } : {}) });
    await decide('stat-a', 'buy', 0.7, 10);
    await decide('stat-b', 'sell', 0.4, 4);
    await api.market.setPrice.mutate({ symbol: 'STAT', price: 110 });
    await decide('stat-a', 'sell', 0.9, 6); // +60 in a's book
    await decide('stat-b', 'buy', 0.6, 4); // -40 in b's book
    await decide('stat-a', 'hold', 0.2);
    await api.market.executeTrade.mutate({ symbol: 'STAT', side: 'buy', qty: 1, agentId: 'stat-a' }); // a trade without a decision
    const trades = await api.market.trades.query();
    const decisions = await api.agents.decisions.query({ limit: 1000 });
    const expected = computeAgentStats(trades, decisions).stats;
    const [a] = await api.agents.stats.query({ agentId: 'stat-a' });
    expect(a).toEqual(expected.get('stat-a'));
    expect(a).toMatchObject({ realizedPnl: 60, trades: 3, closingTrades: 1, winRate: 1, decisions: 3, tradedDecisions: 2, scoredDecisions: 1 });
    const all = await api.agents.stats.query();
    expect(all.find((s) => s.agentId === 'stat-b')).toMatchObject({ realizedPnl: -40, winRate: 0, meanConfidenceLosing: 0.6 });
    const error = await refusal(api.agents.stats.query({ agentId: 'nobody-here' }));
    expect(error.data?.code).toBe('NOT_FOUND');
  });

  it('shows an agent’s status history, tasks, runs and decisions with the trades they caused', async () => {
    const api = desk.client();
    for (const status of ['idle', 'active', 'active', 'busy', 'error'] as const) await api.agents.setStatus.mutate({ id: 'view-1', status, cpu: Math.random() * 10 });
    const { id: taskId } = await api.agents.upsertTask.mutate({ agentId: 'view-1', type: 'scan', status: 'running' });
    await api.agents.workflowStep.mutate({ workflowId: 'wf-view', stage: 'a', progress: 0.1, agentId: 'view-1' });
    await api.market.setPrice.mutate({ symbol: 'VIEW', price: 50 });
    const { decision } = await api.agents.recordDecision.mutate({ agentId: 'view-1', symbol: 'VIEW', action: 'buy', confidence: 0.8, executeQty: 2 });
    const view = await api.agents.view.query({ agentId: 'view-1' });
    expect(view.statusHistory.map((s) => s.status)).toEqual(['error', 'busy', 'active', 'idle']);
    expect(view.agent?.status).toBe('error');
    expect(view.tasks.map((t) => t.id)).toEqual([taskId]);
    expect(view.workflowRuns.map((w) => w.workflowId)).toEqual(['wf-view']);
    expect(view.decisions[0]).toMatchObject({ decision: { id: decision.id }, trade: { id: decision.tradeId, qty: 2 }, outcome: { realizedPnl: 0, closing: false, position: { qty: 2, avgPrice: 50 } } });
    expect(view.stats).toMatchObject({ agentId: 'view-1', trades: 1, decisions: 1 });
    expect((await refusal(api.agents.view.query({ agentId: 'nobody-here' }))).data?.code).toBe('NOT_FOUND');
  });
});

describe('journals written before agents had metadata and runs an agent', () => {
  it('restore old rows in today’s shape, and the next step keeps working', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'agent-records-')), 'desk.db');
    const old = createDesk({ journal: { path } });
    old.activity.setAgentStatus({ id: 'old-1', status: 'active' });
    const { executionId } = old.activity.workflowStep({ workflowId: 'wf-old', stage: 's', status: 'running', progress: 0.5 });
    // Rewrite both rows (and their events) as an earlier version wrote them: without the new fields.
    const strip = (body: string, fields: string[]) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(body)).filter(([k]) => !fields.includes(k))));
    for (const table of ['rows', 'events']) {
      const rows = old.journal!.db.prepare<[], { key: string; topic: string; body: string }>(`SELECT key, topic, body FROM ${table} WHERE topic IN ('agents', 'workflows')`).all();
      for (const row of rows) {
        const body = strip(row.body, row.topic === 'agents' ? ['metadata'] : ['agentId', 'result', 'error']);
        old.journal!.db.prepare(`UPDATE ${table} SET body = ? WHERE topic = ? AND key = ?`).run(body, row.topic, row.key);
      }
    }
    old.journal!.close();
    const desk = createDesk({ journal: { path } });
    expect(agentSchema.parse(desk.topics.agents.get('old-1'))).toEqual(desk.topics.agents.get('old-1'));
    expect(desk.topics.agents.get('old-1')).toMatchObject({ status: 'active', metadata: {} });
    expect(desk.topics.workflows.get(executionId)).toMatchObject({ agentId: null, result: null, error: null, progress: 0.5 });
    expect(workflowRunSchema.parse(desk.topics.workflows.get(executionId))).toEqual(desk.topics.workflows.get(executionId));
    desk.activity.workflowStep({ workflowId: 'wf-old', executionId, stage: 't', status: 'completed', progress: 1, result: 'ok' });
    expect(desk.topics.workflows.get(executionId)).toMatchObject({ status: 'completed', agentId: null, result: 'ok' });
    expect((await agentView(desk, 'old-1')).statusHistory.map((s) => s.status)).toEqual(['active']);
    desk.journal!.close();
  });
});
