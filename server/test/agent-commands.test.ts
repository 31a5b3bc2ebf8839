import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentCommand, AppRouter, StreamMessage } from '../../shared/index';
import { collector, sleep, startTestDesk, type TestDesk } from './harness';

const tokens = { 'viewer-token-0123456789': 'viewer', 'operator-token-0123456789': 'operator' } as const;
const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens }, agents: { commandTimeoutMs: 400 } });
  const api = desk.client({ token: OPERATOR });
  for (const id of ['cmd-a', 'cmd-b', 'cmd-late', 'cmd-resume']) await api.agents.setStatus.mutate({ id, status: 'active' });
});
afterAll(() => desk.close());

const codeOf = (error: unknown) => (error as TRPCClientError<AppRouter>).data?.code;
/** The commands a stream has delivered so far, by id, newest state of each. */
function commandsOf(messages: Array<{ data: StreamMessage<AgentCommand> }>): Map<string, AgentCommand> {
  const rows = new Map<string, AgentCommand>();
  for (const { data } of messages) {
    const items = data.type === 'changes' ? data.upserts : data.items;
    for (const item of items) rows.set(item.id, item);
  }
  return rows;
}

describe('operator commands to agents', () => {
  it('reach only the agent they name, and its acknowledgement reaches every other subscriber', async () => {
    const operator = desk.client({ token: OPERATOR });
    const agentA = desk.client({ token: OPERATOR });
    const agentB = desk.client({ token: OPERATOR });
    const dashboard = desk.client({ token: VIEWER });
    const a = collector<StreamMessage<AgentCommand>>();
    const b = collector<StreamMessage<AgentCommand>>();
    const seen = collector<StreamMessage<AgentCommand>>();
    const subs = [
      agentA.agents.onCommands.subscribe({ agentId: 'cmd-a' }, a),
      agentB.agents.onCommands.subscribe({ agentId: 'cmd-b' }, b),
      dashboard.agents.onCommands.subscribe({}, seen),
    ];
    await Promise.all([a, b, seen].map((c) => c.until((m) => m.length >= 1)));

    const { command } = await operator.agents.sendCommand.mutate({ agentId: 'cmd-a', kind: 'pause' });
    expect(command).toMatchObject({ agentId: 'cmd-a', kind: 'pause', state: 'sent', sentBy: expect.stringMatching(/^operator/), taskId: null });
    await a.until((m) => commandsOf(m).get(command.id)?.state === 'sent');

    const answer = await agentA.agents.acknowledgeCommand.mutate({ id: command.id, agentId: 'cmd-a', accepted: true, message: 'paused' });
    expect(answer.command).toMatchObject({ state: 'acknowledged', message: 'paused' });
    await seen.until((m) => commandsOf(m).get(command.id)?.state === 'acknowledged');
    expect(commandsOf(seen.messages).get(command.id)!.settledAt).toBeGreaterThanOrEqual(command.sentAt);
    await sleep(100);
    expect([...commandsOf(b.messages).values()].filter((c) => c.agentId !== 'cmd-b')).toEqual([]);
    expect(commandsOf(b.messages).has(command.id)).toBe(false);
    for (const sub of subs) sub.unsubscribe();
  });

  it('refuses a viewer (FORBIDDEN) and records nothing', async () => {
    const viewer = desk.client({ token: VIEWER });
    const before = await viewer.agents.commands.query({ agentId: 'cmd-b' });
    const error = await viewer.agents.sendCommand.mutate({ agentId: 'cmd-b', kind: 'flatten' }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('FORBIDDEN');
    expect(await viewer.agents.commands.query({ agentId: 'cmd-b' })).toEqual(before);
  });

  it('refuses a command for an unknown agent, and cancelTask without a task', async () => {
    const operator = desk.client({ token: OPERATOR });
    expect(codeOf(await operator.agents.sendCommand.mutate({ agentId: 'nobody', kind: 'pause' }).catch((e: unknown) => e))).toBe('NOT_FOUND');
    const missingTask = await operator.agents.sendCommand.mutate({ agentId: 'cmd-b', kind: 'cancelTask' }).catch((e: unknown) => e);
    expect(codeOf(missingTask)).toBe('BAD_REQUEST');
    expect((missingTask as TRPCClientError<AppRouter>).data?.zodError?.fieldErrors).toHaveProperty('taskId');
    const { command } = await operator.agents.sendCommand.mutate({ agentId: 'cmd-b', kind: 'cancelTask', taskId: 'task-9' });
    expect(command.taskId).toBe('task-9');
    // Answered by another agent's id: not its command.
    const wrongAgent = await operator.agents.acknowledgeCommand.mutate({ id: command.id, agentId: 'cmd-a', accepted: true }).catch((e: unknown) => e);
    expect(codeOf(wrongAgent)).toBe('NOT_FOUND');
    const rejected = await operator.agents.acknowledgeCommand.mutate({ id: command.id, agentId: 'cmd-b', accepted: false, message: 'no such task' });
    expect(rejected.command).toMatchObject({ state: 'rejected', message: 'no such task' });
    // The same answer again changes nothing; a different one conflicts.
    expect((await operator.agents.acknowledgeCommand.mutate({ id: command.id, agentId: 'cmd-b', accepted: false, message: 'no such task' })).eventId).toBeNull();
    expect(codeOf(await operator.agents.acknowledgeCommand.mutate({ id: command.id, agentId: 'cmd-b', accepted: true }).catch((e: unknown) => e))).toBe('CONFLICT');
  });

  it('times out a command nobody answers, and refuses a late answer', async () => {
    const operator = desk.client({ token: OPERATOR });
    const watcher = collector<StreamMessage<AgentCommand>>();
    const sub = desk.client({ token: VIEWER }).agents.onCommands.subscribe({ agentId: 'cmd-late' }, watcher);
    const { command } = await operator.agents.sendCommand.mutate({ agentId: 'cmd-late', kind: 'resume' });
    await watcher.until((m) => commandsOf(m).get(command.id)?.state === 'timedOut', 5000);
    expect(commandsOf(watcher.messages).get(command.id)!.message).toMatch(/no answer within 400 ms/);
    const late = await operator.agents.acknowledgeCommand.mutate({ id: command.id, agentId: 'cmd-late', accepted: true }).catch((e: unknown) => e);
    expect(codeOf(late)).toBe('CONFLICT');
    sub.unsubscribe();
  });

  it('a reconnecting agent resuming from its last event id gets the command sent while it was away', async () => {
    const operator = desk.client({ token: OPERATOR });
    const first = collector<StreamMessage<AgentCommand>>();
    const agent = desk.client({ token: OPERATOR });
    const sub = agent.agents.onCommands.subscribe({ agentId: 'cmd-resume' }, first);
    const { command: before } = await operator.agents.sendCommand.mutate({ agentId: 'cmd-resume', kind: 'pause' });
    await first.until((m) => commandsOf(m).has(before.id));
    const lastEventId = first.messages.at(-1)!.id;
    sub.unsubscribe();

    const { command: missed } = await operator.agents.sendCommand.mutate({ agentId: 'cmd-resume', kind: 'flatten' });
    const again = collector<StreamMessage<AgentCommand>>();
    const resumed = desk.client({ token: OPERATOR }).agents.onCommands.subscribe({ agentId: 'cmd-resume', lastEventId }, again);
    await again.until((m) => commandsOf(m).has(missed.id));
    // A resume, not a snapshot: the command it had already seen is not sent again.
    expect(again.messages[0]!.data.type).toBe('changes');
    expect(commandsOf(again.messages).has(before.id)).toBe(false);
    resumed.unsubscribe();
  });
});
