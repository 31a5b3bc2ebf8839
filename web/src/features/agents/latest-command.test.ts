import { describe, expect, it } from 'vitest';
import type { AgentCommand } from '../../../../shared/index';
import { describeCommand, latestCommandByAgent } from './latest-command';

const command = (id: string, agentId: string, sentAt: number, extra: Partial<AgentCommand> = {}): AgentCommand => ({
  id,
  agentId,
  kind: 'pause',
  taskId: null,
  state: 'sent',
  message: null,
  sentBy: 'op',
  sentAt,
  settledAt: null,
  ...extra,
});

describe('latestCommandByAgent', () => {
  it("keeps each agent's most recently sent command, whatever the order they arrive in", () => {
    const latest = latestCommandByAgent([command('c2', 'a', 20), command('c1', 'a', 10), command('c3', 'b', 5), command('c4', 'a', 20)]);
    expect(latest.get('a')?.id).toBe('c4');
    expect(latest.get('b')?.id).toBe('c3');
    expect(latest.size).toBe(2);
  });
});

describe('describeCommand', () => {
  it('names the command, its state and the agent message', () => {
    expect(describeCommand(command('c', 'a', 1))).toBe('pause: sent');
    expect(describeCommand(command('c', 'a', 1, { kind: 'cancelTask', state: 'rejected', message: 'not mine' }))).toBe('cancel task: rejected (not mine)');
    expect(describeCommand(command('c', 'a', 1, { state: 'timedOut', message: 'no answer within 30000 ms' }))).toBe('pause: timed out');
  });
});
