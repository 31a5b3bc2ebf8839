import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskAgent, type AgentCommand, type AppRouter, type DeskAgent } from '../../shared/node';
import { eventually, sleep, startTestDesk, type TestDesk } from './harness';

const tokens = { 'viewer-token-0123456789': 'viewer', 'operator-token-0123456789': 'operator' } as const;
const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';

let desk: TestDesk;
const agents: DeskAgent[] = [];
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens }, agents: { offlineGraceMs: 300 } });
});
afterAll(async () => {
  for (const agent of agents) await agent.close();
  await desk.close();
});

async function agentFor(id: string, extra: Partial<Parameters<typeof createDeskAgent>[0]> = {}) {
  const agent = await createDeskAgent({ url: desk.app.url, token: OPERATOR, id, name: `Agent ${id}`, ...extra });
  agents.push(agent);
  return agent;
}
const statusOf = (id: string) => desk.app.desk.topics.agents.get(id)?.status;
const commandRow = (id: string) => desk.app.desk.topics.agentCommands.get(id);
async function settled(id: string): Promise<AgentCommand> {
  await eventually(() => commandRow(id)?.state !== 'sent', 5000, `command ${id} answered`);
  return commandRow(id)!;
}

describe('createDeskAgent', () => {
  it('registers the agent as active and speaks for it on its connection', async () => {
    const agent = await agentFor('sdk-1');
    expect(desk.app.desk.topics.agents.get('sdk-1')).toMatchObject({ name: 'Agent sdk-1', status: 'active' });
    const claims = desk.app.presence.local().connections.filter((c) => c.agentId === 'sdk-1');
    expect(claims).toMatchObject([{ kind: 'agent', role: 'operator' }]);
    expect(agent.paused).toBe(false);
  });

  it('is refused with a viewer token (FORBIDDEN), leaving nothing registered', async () => {
    const error = await createDeskAgent({ url: desk.app.url, token: VIEWER, id: 'sdk-viewer', name: 'no' }).catch((e: unknown) => e);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('FORBIDDEN');
    expect(statusOf('sdk-viewer')).toBeUndefined();
  });

  it('answers pause and resume itself, flips paused and its status, and stops calling onPrices while paused', async () => {
    const operator = desk.client({ token: OPERATOR });
    await operator.market.setPrice.mutate({ symbol: 'SDKP', price: 10 });
    const heard: number[] = [];
    const agent = await agentFor('sdk-2', { commands: { pause: () => 'holding still' } });
    agent.onPrices((ticks) => heard.push(...ticks.map((t) => t.price)), { symbols: ['SDKP'] });
    await eventually(() => heard.includes(10), 5000, 'snapshot heard');

    const { command } = await operator.agents.sendCommand.mutate({ agentId: 'sdk-2', kind: 'pause' });
    expect(await settled(command.id)).toMatchObject({ state: 'acknowledged', message: 'holding still' });
    expect(agent.paused).toBe(true);
    expect(statusOf('sdk-2')).toBe('idle');
    await operator.market.setPrice.mutate({ symbol: 'SDKP', price: 11 });

    const { command: resume } = await operator.agents.sendCommand.mutate({ agentId: 'sdk-2', kind: 'resume' });
    expect(await settled(resume.id)).toMatchObject({ state: 'acknowledged', message: 'resumed' });
    expect(statusOf('sdk-2')).toBe('active');
    await operator.market.setPrice.mutate({ symbol: 'SDKP', price: 12 });
    await eventually(() => heard.includes(12), 5000, 'price after resume heard');
    expect(heard).not.toContain(11);
  });

  it('rejects a command it has no handler for, and cancels only its own tasks', async () => {
    const operator = desk.client({ token: OPERATOR });
    const agent = await agentFor('sdk-3');
    const { command: flatten } = await operator.agents.sendCommand.mutate({ agentId: 'sdk-3', kind: 'flatten' });
    expect(await settled(flatten.id)).toMatchObject({ state: 'rejected', message: 'this agent does not handle flatten' });

    const task = await agent.startTask('rebalance');
    expect(desk.app.desk.topics.tasks.get(task.id)).toMatchObject({ agentId: 'sdk-3', status: 'running' });
    const { command: cancel } = await operator.agents.sendCommand.mutate({ agentId: 'sdk-3', kind: 'cancelTask', taskId: task.id });
    expect(await settled(cancel.id)).toMatchObject({ state: 'acknowledged' });
    expect(desk.app.desk.topics.tasks.get(task.id)?.status).toBe('cancelled');

    const { id: foreign } = await operator.agents.upsertTask.mutate({ type: 'other', status: 'running' });
    const { command: refused } = await operator.agents.sendCommand.mutate({ agentId: 'sdk-3', kind: 'cancelTask', taskId: foreign });
    expect(await settled(refused.id)).toMatchObject({ state: 'rejected', message: `task ${foreign} is not one of this agent's` });
    expect(desk.app.desk.topics.tasks.get(foreign)?.status).toBe('running');
  });

  it('decides and trades as itself, reports tasks and workflow steps', async () => {
    const operator = desk.client({ token: OPERATOR });
    await operator.market.setPrice.mutate({ symbol: 'SDKT', price: 50 });
    const agent = await agentFor('sdk-4');
    const { trade } = await agent.trade({ symbol: 'SDKT', side: 'buy', qty: 2 });
    expect(trade).toMatchObject({ agentId: 'sdk-4', qty: 2, price: 50 });
    const { decision } = await agent.decide({ symbol: 'SDKT', action: 'sell', confidence: 0.7, executeQty: 2 });
    expect(decision).toMatchObject({ agentId: 'sdk-4', action: 'sell', tradeId: expect.any(String) });
    const task = await agent.startTask('scan', { priority: 'high' });
    await task.progress(0.5);
    await task.complete('done');
    expect(desk.app.desk.topics.tasks.get(task.id)).toMatchObject({ status: 'completed', result: 'done', priority: 'high', agentId: 'sdk-4' });
    const run = agent.workflow('wf-sdk');
    await run.step('fetch', 0.3);
    await run.step('report', 1, 'completed', { result: 'sent' });
    expect(desk.app.desk.topics.workflows.get(run.executionId!)).toMatchObject({ workflowId: 'wf-sdk', stage: 'report', status: 'completed', agentId: agent.id, result: 'sent' });
    const { memory } = await agent.remember({ content: 'fills are slower after 16:00', importance: 0.7, tags: ['execution'] });
    expect(memory).toMatchObject({ agentId: agent.id, action: 'created', importance: 0.7, tags: ['execution'] });
    await agent.remember({ memoryId: memory.memoryId, action: 'accessed' });
    expect(desk.app.desk.topics.memories.buffer.last(2, (e) => e.agentId === agent.id).map((e) => [e.memoryId, e.action])).toEqual([
      [memory.memoryId, 'created'],
      [memory.memoryId, 'accessed'],
    ]);
  });

  it('answers a command sent while its connection was down, once it is back', async () => {
    // Reconnects after a second, so the command is surely sent while it is away.
    const agent = await agentFor('sdk-6', { retryDelayMs: () => 1000 });
    const operator = desk.client({ token: OPERATOR });
    const claimed = () => desk.app.presence.local().connections.some((c) => c.agentId === 'sdk-6');
    for (const socket of desk.app.wss.clients) socket.terminate();
    await eventually(() => !claimed(), 5000, 'connection gone');
    const { command } = await operator.agents.sendCommand.mutate({ agentId: 'sdk-6', kind: 'pause' });
    expect(claimed()).toBe(false);
    expect(await settled(command.id)).toMatchObject({ state: 'acknowledged', message: 'paused' });
    expect(agent.paused).toBe(true);
    // Its registration after the reconnect and the pause's status are written in order.
    await eventually(() => statusOf('sdk-6') === 'idle', 5000, 'idle while paused');
    await sleep(200);
    expect(statusOf('sdk-6')).toBe('idle');
  });

  it('registers again after a reconnect, and close() marks it offline at once', async () => {
    const agent = await agentFor('sdk-5');
    const operator = desk.client({ token: OPERATOR });
    // Marked offline while its connection is cut: the agent sets itself active again once back.
    await operator.agents.setStatus.mutate({ id: 'sdk-5', status: 'offline' });
    for (const socket of desk.app.wss.clients) socket.terminate();
    await eventually(() => statusOf('sdk-5') === 'active', 8000, 'registered again');
    await agent.close();
    expect(statusOf('sdk-5')).toBe('offline');
  });
});
