import { TRPCError } from '@trpc/server';
import type { AcknowledgeAgentCommandInput, AgentCommand, SendAgentCommandInput } from '../../shared/schema/agent-commands';
import type { Hub } from '../hub/hub';
import { idMaker } from './ids';
import type { DeskTopics } from './topics';

export interface AgentCommandsOptions {
  /** Settled commands kept per agent; the oldest are removed beyond this. @default 20 */
  settledPerAgent?: number;
  now?: () => number;
}

/**
 * Operators' commands to agents (pause, resume, flatten, cancel a task) and the agents' answers.
 * Each is a row of the `agentCommands` topic, so it is journaled, replicated and resumable like
 * any other change: an agent that reconnects gets the commands it has not seen yet.
 */
export class AgentCommands {
  private readonly now: () => number;
  private readonly settledPerAgent: number;

  constructor(
    private readonly hub: Hub,
    private readonly topics: DeskTopics,
    options: AgentCommandsOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.settledPerAgent = options.settledPerAgent ?? 20;
  }

  /** Records a command for a known agent; `sentBy` is the operator's name. */
  send(input: SendAgentCommandInput & { sentBy: string }): { eventId: number | null; command: AgentCommand } {
    if (!this.topics.agents.get(input.agentId)) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `no agent ${input.agentId}: an agent registers itself with agents.setStatus` });
    }
    let command: AgentCommand | undefined;
    const eventId = this.hub.commit((tx) => {
      command = {
        id: idMaker(tx.id)('cmd'),
        agentId: input.agentId,
        kind: input.kind,
        taskId: input.taskId ?? null,
        state: 'sent',
        message: null,
        sentBy: input.sentBy,
        sentAt: this.now(),
        settledAt: null,
      };
      tx.upsert(this.topics.agentCommands, command);
      // Bounded per agent: the oldest answered commands make room (unanswered ones time out).
      const settled = settledOf(this.topics.agentCommands.values(), input.agentId);
      const excess = settled.length - this.settledPerAgent;
      if (excess > 0) tx.remove(this.topics.agentCommands, ...settled.slice(0, excess).map((c) => c.id));
    });
    return { eventId, command: command! };
  }

  /** The agent's answer. Answering the same way again changes nothing; answering otherwise is a conflict. */
  acknowledge(input: AcknowledgeAgentCommandInput): { eventId: number | null; command: AgentCommand } {
    const current = this.topics.agentCommands.get(input.id);
    if (!current || current.agentId !== input.agentId) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `agent ${input.agentId} has no command ${input.id}` });
    }
    const state = input.accepted ? 'acknowledged' : 'rejected';
    const message = input.message || null;
    if (current.state === state && current.message === message) return { eventId: null, command: current };
    if (current.state !== 'sent') {
      throw new TRPCError({ code: 'CONFLICT', message: `command ${input.id} is already ${current.state}` });
    }
    const command: AgentCommand = { ...current, state, message, settledAt: this.now() };
    return { eventId: this.hub.commit((tx) => tx.upsert(this.topics.agentCommands, command)), command };
  }

  /** Marks a command still unanswered as timed out (the desk's own sweep); otherwise changes nothing. */
  expire(input: { id: string; afterMs: number }): number | null {
    const current = this.topics.agentCommands.get(input.id);
    if (!current || current.state !== 'sent') return null;
    const command: AgentCommand = { ...current, state: 'timedOut', message: `no answer within ${input.afterMs} ms`, settledAt: this.now() };
    return this.hub.commit((tx) => tx.upsert(this.topics.agentCommands, command));
  }

  /** Commands still unanswered that were sent before `before` (what the sweep expires). */
  overdue(before: number): AgentCommand[] {
    return this.topics.agentCommands.values().filter((c) => c.state === 'sent' && c.sentAt < before);
  }
}

/** One agent's settled commands, oldest first. */
function settledOf(commands: AgentCommand[], agentId: string): AgentCommand[] {
  return commands.filter((c) => c.agentId === agentId && c.state !== 'sent').sort((a, b) => a.settledAt! - b.settledAt!);
}
