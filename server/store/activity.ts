import { TRPCError } from '@trpc/server';
import type {
  Agent,
  Decision,
  RecordDecisionInput,
  SetAgentStatusInput,
  Task,
  UpsertTaskInput,
  WorkflowRun,
  WorkflowStepInput,
} from '../../shared/schema/agents';
import type {
  BroadcastCustomInput,
  PublishSignalInput,
  PushNotificationInput,
  RaiseSystemAlertInput,
  RecordMetricsInput,
} from '../../shared/schema/feeds';
import { withTime } from './updated-at';
import type { Hub, Transaction } from '../hub/hub';
import type { StateTopic } from '../hub/state-topic';
import { idMaker } from './ids';
import type { Market } from './market';
import type { TradeLimits } from './trade-limits';
import type { DeskTopics } from './topics';

export interface ActivityOptions {
  /** Finished tasks and workflow runs kept; the oldest finished ones are removed beyond this. @default 200 */
  finishedLimit?: number;
  now?: () => number;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/** Agents, their tasks, workflow runs, decisions and the desk's event feeds. */
export class Activity {
  private readonly now: () => number;
  private readonly finishedLimit: number;

  constructor(
    private readonly hub: Hub,
    private readonly topics: DeskTopics,
    private readonly market: Market,
    options: ActivityOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.finishedLimit = options.finishedLimit ?? 200;
  }

  setAgentStatus(input: SetAgentStatusInput): number | null {
    const current = this.topics.agents.get(input.id);
    const agent: Agent = {
      id: input.id,
      name: input.name ?? current?.name ?? input.id,
      status: input.status,
      currentTaskId: input.currentTaskId === undefined ? (current?.currentTaskId ?? null) : input.currentTaskId,
      cpu: input.cpu ?? current?.cpu ?? 0,
      memory: input.memory ?? current?.memory ?? 0,
      connections: input.connections ?? current?.connections ?? 0,
      metadata: input.metadata ?? current?.metadata ?? {},
      updatedAt: current?.updatedAt ?? this.now(),
    };
    // updatedAt only moves when something else did, so a re-sent status is not a change.
    return this.hub.commit((tx) => tx.upsert(this.topics.agents, withTime(agent, current, this.now())));
  }

  upsertTask(input: UpsertTaskInput): { eventId: number | null; id: string } {
    const current = input.id ? this.topics.tasks.get(input.id) : undefined;
    let id = input.id ?? '';
    const eventId = this.hub.commit((tx) => {
      id ||= idMaker(tx.id)('task');
      const now = this.now();
      const task: Task = {
        id,
        agentId: input.agentId === undefined ? (current?.agentId ?? null) : input.agentId,
        type: input.type ?? current?.type ?? 'generic',
        priority: input.priority ?? current?.priority ?? 'normal',
        status: input.status ?? current?.status ?? 'pending',
        progress: input.progress ?? (input.status === 'completed' ? 1 : (current?.progress ?? 0)),
        result: input.result === undefined ? (current?.result ?? null) : input.result,
        error: input.error === undefined ? (current?.error ?? null) : input.error,
        createdAt: current?.createdAt ?? now,
        updatedAt: current?.updatedAt ?? now,
      };
      tx.upsert(this.topics.tasks, withTime(task, current, now));
      this.trimFinished(tx, this.topics.tasks, (t) => t.status, id);
    });
    return { eventId, id };
  }

  workflowStep(input: WorkflowStepInput): { eventId: number | null; executionId: string } {
    const current = input.executionId ? this.topics.workflows.get(input.executionId) : undefined;
    if (current && current.workflowId !== input.workflowId) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `run ${input.executionId} belongs to workflow ${current.workflowId}` });
    }
    let executionId = input.executionId ?? '';
    const eventId = this.hub.commit((tx) => {
      executionId ||= idMaker(tx.id)('run');
      const now = this.now();
      const run: WorkflowRun = {
        executionId,
        workflowId: input.workflowId,
        // Fields a step leaves out keep the run's; commands logged before they existed leave them all out.
        agentId: input.agentId === undefined ? (current?.agentId ?? null) : input.agentId,
        stage: input.stage,
        status: input.status,
        progress: input.progress,
        result: input.result === undefined ? (current?.result ?? null) : input.result,
        error: input.error === undefined ? (current?.error ?? null) : input.error,
        startedAt: current?.startedAt ?? now,
        updatedAt: current?.updatedAt ?? now,
      };
      tx.upsert(this.topics.workflows, withTime(run, current, now));
      this.trimFinished(tx, this.topics.workflows, (w) => w.status, executionId);
    });
    return { eventId, executionId };
  }

  /** Records a decision; a buy or sell with `executeQty` trades in the same commit. */
  /** With `limits` (an operator's call), a decision that executes may not break them. */
  recordDecision(input: RecordDecisionInput, limits?: TradeLimits): { eventId: number | null; decision: Decision } {
    if (input.executeQty !== undefined && input.action !== 'hold' && this.market.lastPrice(input.symbol) === undefined) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `${input.symbol} has no price yet; cannot execute` });
    }
    if (limits && input.executeQty !== undefined && input.action !== 'hold') this.market.checkLimits({ symbol: input.symbol, qty: input.executeQty }, limits);
    let decision: Decision | undefined;
    const eventId = this.hub.commit((tx) => {
      const id = idMaker(tx.id)('dec');
      let tradeId: string | null = null;
      if (input.executeQty !== undefined && input.action !== 'hold') {
        const { trade } = this.market.executeTrade(
          { symbol: input.symbol, side: input.action, qty: input.executeQty, agentId: input.agentId, decisionId: id },
          tx,
        );
        tradeId = trade.id;
      }
      decision = {
        id,
        agentId: input.agentId,
        symbol: input.symbol,
        action: input.action,
        confidence: input.confidence,
        reasoning: input.reasoning,
        tradeId,
        ts: this.now(),
      };
      tx.append(this.topics.decisions, decision);
    });
    return { eventId, decision: decision! };
  }

  publishSignal(input: PublishSignalInput): number | null {
    return this.hub.commit((tx) => tx.append(this.topics.signals, { id: idMaker(tx.id)('sig'), ...input, ts: this.now() }));
  }

  pushNotification(input: PushNotificationInput): number | null {
    return this.hub.commit((tx) => tx.append(this.topics.notifications, { id: idMaker(tx.id)('ntf'), ...input, ts: this.now() }));
  }

  raiseSystemAlert(input: RaiseSystemAlertInput): number | null {
    return this.hub.commit((tx) => tx.append(this.topics.systemAlerts, { id: idMaker(tx.id)('sys'), ...input, ts: this.now() }));
  }

  broadcastCustom(input: BroadcastCustomInput): number | null {
    return this.hub.commit((tx) => tx.append(this.topics.custom, { id: idMaker(tx.id)('cst'), ...input, ts: this.now() }));
  }

  /** Records metric samples as one commit; a sample without `ts` is stamped with the command's time. */
  recordMetrics(samples: RecordMetricsInput['samples']): number | null {
    if (samples.length === 0) return null;
    const now = this.now();
    return this.hub.commit((tx) => {
      const makeId = idMaker(tx.id);
      tx.append(this.topics.metrics, ...samples.map((sample) => ({ id: makeId('met'), ...sample, ts: sample.ts ?? now })));
    });
  }

  /** Removes the oldest finished rows beyond the limit, never the row just written. */
  private trimFinished<T>(tx: Transaction, topic: StateTopic<T>, statusOf: (row: T) => string, keep: string) {
    const finished = topic.values().filter((row) => FINISHED.has(statusOf(row)) && topic.keyOf(row) !== keep);
    const excess = finished.length - this.finishedLimit;
    if (excess > 0) tx.remove(topic, ...finished.slice(0, excess).map((row) => topic.keyOf(row)));
  }
}

