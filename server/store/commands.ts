import type { AcknowledgeAgentCommandInput, SendAgentCommandInput } from '../../shared/schema/agent-commands';
import type { RecordMemoryInput } from '../../shared/schema/memory';
import type {
  RecordDecisionInput,
  SetAgentStatusInput,
  UpsertTaskInput,
  WorkflowStepInput,
} from '../../shared/schema/agents';
import type {
  BroadcastCustomInput,
  CreateAlertRuleInput,
  PublishSignalInput,
  PushNotificationInput,
  RaiseSystemAlertInput,
  RecordMetricsInput,
} from '../../shared/schema/feeds';
import type { ExecuteTradeInput, SetPriceInput } from '../../shared/schema/market';
import type { RevokeTokenInput } from '../../shared/schema/system';
import type { MutationResult } from '../../shared/schema/common';
import type { AuditScope } from '../persist/audit-log';
import type { Desk } from './desk';
import { createGroupCommit } from './group-commit';
import type { TradeLimits } from './trade-limits';

/** The trading limits in force for an operator's call, carried in its command. */
interface Limited {
  limits?: TradeLimits;
}

/** The result every mutation returns: the commit's event id as a string (null: nothing changed). */
export function committed(eventId: number | null): MutationResult;
/** …and what the mutation made (`{ eventId, trade }`), typed as one object rather than an intersection. */
export function committed<X extends object>(eventId: number | null, extra: X): { [K in keyof (MutationResult & X)]: (MutationResult & X)[K] };
export function committed(eventId: number | null, extra?: object) {
  return { eventId: eventId === null ? null : String(eventId), ...extra };
}

/**
 * Every change the desk accepts, by name: what a mutation or the simulator asks for. Applying the
 * same commands in the same order to the same desk gives the same state and the same event ids,
 * which is what lets several instances fold one shared command log.
 */
export const commands = {
  // `limits`: set by the instance that took an operator's call (none for the simulator).
  'market.setPrice': (desk: Desk, { limits, ...input }: SetPriceInput & Limited) => committed(desk.market.setPrice(input, limits)),
  'market.executeTrade': (desk: Desk, { limits, ...input }: ExecuteTradeInput & Limited) => {
    const { eventId, trade } = desk.market.executeTrade(input, undefined, limits);
    return committed(eventId, { trade });
  },
  'agents.setStatus': (desk: Desk, input: SetAgentStatusInput) => committed(desk.activity.setAgentStatus(input)),
  'agents.upsertTask': (desk: Desk, input: UpsertTaskInput) => {
    const { eventId, id } = desk.activity.upsertTask(input);
    return committed(eventId, { id });
  },
  'agents.workflowStep': (desk: Desk, input: WorkflowStepInput) => {
    const { eventId, executionId } = desk.activity.workflowStep(input);
    return committed(eventId, { executionId });
  },
  'agents.recordDecision': (desk: Desk, { limits, ...input }: RecordDecisionInput & Limited) => {
    const { eventId, decision } = desk.activity.recordDecision(input, limits);
    return committed(eventId, { decision });
  },
  'agents.recordMemory': (desk: Desk, input: RecordMemoryInput) => {
    const { eventId, memory } = desk.memory.record(input);
    return committed(eventId, { memory });
  },
  /** An operator's command to an agent; `sentBy` is the operator's name. */
  'agents.sendCommand': (desk: Desk, input: SendAgentCommandInput & { sentBy: string }) => {
    const { eventId, command } = desk.agentCommands.send(input);
    return committed(eventId, { command });
  },
  'agents.acknowledgeCommand': (desk: Desk, input: AcknowledgeAgentCommandInput) => {
    const { eventId, command } = desk.agentCommands.acknowledge(input);
    return committed(eventId, { command });
  },
  /** The desk's own sweep: a command unanswered for `afterMs` times out. */
  'agents.expireCommand': (desk: Desk, input: { id: string; afterMs: number }) => committed(desk.agentCommands.expire(input)),
  'alerts.createRule': (desk: Desk, input: CreateAlertRuleInput) => committed(desk.market.createAlertRule(input)),
  'alerts.deleteRule': (desk: Desk, input: { id: string }) => committed(desk.market.deleteAlertRule(input.id)),
  'alerts.dismiss': (desk: Desk, input: { id: string }) => committed(desk.market.dismissAlert(input.id)),
  'alerts.clear': (desk: Desk, _input: object) => committed(desk.market.clearAlerts()),
  'feeds.publishSignal': (desk: Desk, input: PublishSignalInput) => committed(desk.activity.publishSignal(input)),
  'feeds.pushNotification': (desk: Desk, input: PushNotificationInput) => committed(desk.activity.pushNotification(input)),
  'feeds.raiseSystemAlert': (desk: Desk, input: RaiseSystemAlertInput) => committed(desk.activity.raiseSystemAlert(input)),
  'feeds.broadcastCustom': (desk: Desk, input: BroadcastCustomInput) => committed(desk.activity.broadcastCustom(input)),
  'feeds.recordMetrics': (desk: Desk, input: RecordMetricsInput) => committed(desk.activity.recordMetrics(input.samples)),
  /** Revokes a token id or holder name; `by` is the admin's caller id. */
  'system.revokeToken': (desk: Desk, input: RevokeTokenInput & { by: string }) => committed(desk.revocations.revoke(input)),
  /** A simulated price tick (and everything it moves). */
  'sim.tick': (desk: Desk, input: { symbol: string; price: number }) =>
    committed(desk.hub.commit((tx) => desk.market.writeTick(tx, input.symbol, input.price))),
  /** Metric samples as logged by earlier versions, which batched them per instance; kept so their logs still fold. */
  'metrics.batch': (desk: Desk, input: RecordMetricsInput) => committed(desk.activity.recordMetrics(input.samples)),
};

export type Commands = typeof commands;
export type CommandPath = keyof Commands;
export type CommandInput<P extends CommandPath> = Parameters<Commands[P]>[1];
export type CommandResult<P extends CommandPath> = ReturnType<Commands[P]>;

/** A command as it is logged: what to run, with what, when, and its idempotency key. */
export interface Command<P extends CommandPath = CommandPath> {
  path: P;
  input: CommandInput<P>;
  /** The desk's clock while the command runs, so every instance stamps the same times. */
  ts: number;
  key?: string;
}

/**
 * Runs a command on a desk at the command's time, once per idempotency key. An acknowledged one
 * (the default) returns only when its change is durable; one nobody waits for (`acknowledged:
 * false`, the simulator's ticks) is written like any direct commit, so latest values go in batches.
 */
export function applyCommand<P extends CommandPath>(desk: Desk, command: Command<P>, acknowledged = true, audit?: AuditScope): CommandResult<P> {
  const run = commands[command.path] as (desk: Desk, input: CommandInput<P>) => CommandResult<P>;
  if (!acknowledged && command.key === undefined) return desk.clock.at(command.ts, () => run(desk, command.input));
  return desk.clock.at(command.ts, () => desk.once(command.key, command.path, () => run(desk, command.input), command.ts, audit));
}

/** Executes commands: on this desk at once, or through a shared log (cluster mode). */
export interface CommandExecutor {
  /**
   * `audit`: the caller's entry, written in the mutation's transaction where the audit log shares
   * the journal's database (it is marked written then); elsewhere the caller records it.
   */
  execute<P extends CommandPath>(path: P, input: CommandInput<P>, key?: string, audit?: AuditScope): Promise<CommandResult<P>>;
  /** Fire and forget (the simulator): errors are counted, not thrown. */
  submit<P extends CommandPath>(path: P, input: CommandInput<P>): void;
}

/**
 * The single-process executor: runs every command on the local desk, those that arrive together in
 * one transaction (group commit); each is answered once it is durable.
 */
export function localExecutor(desk: Desk): CommandExecutor {
  const group = createGroupCommit(desk);
  return {
    execute: (path, input, key, audit) => {
      const ts = Date.now();
      return group.run(() => applyCommand(desk, { path, input, ts, key }, true, audit));
    },
    submit: (path, input) => {
      try {
        applyCommand(desk, { path, input, ts: Date.now() }, false);
      } catch {
        desk.counters.rejectedCommands++;
      }
    },
  };
}
