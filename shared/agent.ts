import { createDeskClient, type DeskClient, type DeskClientOptions } from './client.js';
import type { AgentCommand, AgentCommandKind } from './schema/agent-commands.js';
import type { AgentStatus, RecordDecisionInput, TaskStatus, UpsertTaskInput, WorkflowStatus } from './schema/agents.js';
import type { MemoryAction } from './schema/memory.js';
import type { ExecuteTradeInput, PriceTick } from './schema/market.js';
import type { StreamMessage } from './schema/stream.js';

/**
 * What an agent does on an operator's command. Returning (or resolving) acknowledges it, with the
 * string as its message; throwing (or rejecting) rejects it with the error's message.
 */
export type CommandHandler = (command: AgentCommand, agent: DeskAgent) => void | string | Promise<void | string>;

export interface DeskAgentOptions extends Omit<DeskClientOptions, 'kind' | 'agentId'> {
  /** The agent's id on the desk (letters, digits, `_ . : -`). */
  id: string;
  /** Shown on the desk. */
  name: string;
  /**
   * Handlers of operator commands, by kind. `pause` and `resume` are handled already (the agent's
   * `paused` flips and its status goes `idle` / `active`); a handler given here runs after that.
   * `cancelTask` cancels a task this agent started unless a handler is given. A kind without a
   * handler (`flatten` by default) is rejected, so the operator sees the agent cannot do it.
   */
  commands?: Partial<Record<AgentCommandKind, CommandHandler>>;
  /** A stream or a command answer failed (the agent goes on). @default console.error */
  onError?: (error: unknown) => void;
  /** Builds the client: `shared/node` passes its own, with `ws`. @default createDeskClient */
  connect?: (options: DeskClientOptions) => DeskClient;
}

/** A task this agent started, for reporting its progress. */
export interface AgentTask {
  id: string;
  progress(progress: number): Promise<void>;
  complete(result?: string): Promise<void>;
  fail(error: string): Promise<void>;
}

/** One run of a workflow, step by step. */
export interface AgentWorkflowRun {
  workflowId: string;
  /** Null until the first step started the run. */
  readonly executionId: string | null;
  /** A step of the run, run by this agent; `result` or `error` say how a finished run ended. */
  step(stage: string, progress: number, status?: WorkflowStatus, outcome?: { result?: string; error?: string }): Promise<void>;
}

/** One memory event of this agent (`agents.recordMemory`). */
export interface AgentMemoryInput {
  /** The memory it is about; leave out when creating one and the desk names it. */
  memoryId?: string;
  /** @default 'created' */
  action?: MemoryAction;
  content?: string;
  /** 0..1. @default 0.5 */
  importance?: number;
  tags?: string[];
}

export interface DeskAgent {
  readonly id: string;
  /** The typed client underneath, for anything the helpers do not cover. */
  readonly api: DeskClient['api'];
  /** True between an operator's pause and resume: `onPrices` handlers are not called meanwhile. */
  readonly paused: boolean;
  /** Calls `handler` with every price update (the snapshot first) of `symbols` (all without). Returns a stop function. */
  onPrices(handler: (ticks: PriceTick[]) => void, options?: { symbols?: string[] }): () => void;
  /** Records a decision of this agent; with `executeQty`, a buy or sell also trades, in the same commit. */
  decide(input: Omit<RecordDecisionInput, 'agentId' | 'reasoning'> & { reasoning?: string }): ReturnType<DeskClient['api']['agents']['recordDecision']['mutate']>;
  /** Trades at the market price, on this agent's account. */
  trade(input: Omit<ExecuteTradeInput, 'agentId'>): ReturnType<DeskClient['api']['market']['executeTrade']['mutate']>;
  /** Sets this agent's status (and the task it works on). */
  setStatus(status: AgentStatus, currentTaskId?: string | null): Promise<void>;
  /** Starts a task assigned to this agent (status `running`). */
  startTask(type: string, options?: Pick<UpsertTaskInput, 'priority'>): Promise<AgentTask>;
  /** A new run of a workflow, run by this agent; its first `step` starts it. */
  workflow(workflowId: string): AgentWorkflowRun;
  /** Records a memory event of this agent; answers the event (its `memoryId` names the memory for later events). */
  remember(input: AgentMemoryInput): ReturnType<DeskClient['api']['agents']['recordMemory']['mutate']>;
  /** Marks the agent offline and closes its connection. */
  close(): Promise<void>;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Connects an agent to the desk: registers it (`agents.setStatus`, status `active`), speaks for it
 * on its connection (kind `agent`, `agentId`: when the connection is gone for the desk's grace
 * period, the desk marks it offline by itself), registers it again after every reconnect, and
 * follows its operator commands (`agents.onCommands`), answering each. Resolves once registered;
 * rejects (and closes) when the desk refuses it (a viewer's token: FORBIDDEN).
 */
export async function createDeskAgent(options: DeskAgentOptions): Promise<DeskAgent> {
  const { id, name, commands: handlers = {}, onError = (error: unknown) => console.error(`agent ${id}: ${errorMessage(error)}`), connect = createDeskClient, ...clientOptions } = options;
  let status: AgentStatus = 'active';
  let currentTaskId: string | null = null;
  let paused = false;
  let opened = 0;
  let closed = false;
  // One status write at a time, each sending the newest status: a re-registration after a
  // reconnect cannot land after (and undo) a pause's `idle`.
  let writes = Promise.resolve();
  const register = () => {
    const write = writes.then(() => api.agents.setStatus.mutate({ id, name, status, currentTaskId })).then(() => undefined);
    writes = write.catch(() => undefined);
    return write;
  };
  const client = connect({
    ...clientOptions,
    kind: 'agent',
    agentId: id,
    onConnectionChange(state) {
      clientOptions.onConnectionChange?.(state);
      // The desk may have marked it offline while the connection was down.
      if (state === 'open' && ++opened > 1 && !closed) register().catch(onError);
    },
  });
  const api = client.api;
  const stops: Array<() => void> = [];
  const ownTasks = new Set<string>();

  const agent: DeskAgent = {
    id,
    api,
    get paused() {
      return paused;
    },
    onPrices(handler, { symbols } = {}) {
      const sub = api.market.onPrices.subscribe(
        { symbols },
        {
          onData: ({ data }: { data: StreamMessage<PriceTick> }) => {
            if (paused) return;
            const ticks = data.type === 'changes' ? data.upserts : data.items;
            if (ticks.length > 0) handler(ticks);
          },
          onError,
        },
      );
      const stop = () => sub.unsubscribe();
      stops.push(stop);
      return stop;
    },
    decide: (input) => api.agents.recordDecision.mutate({ ...input, agentId: id }),
    trade: (input) => api.market.executeTrade.mutate({ ...input, agentId: id }),
    async setStatus(next, taskId) {
      status = next;
      if (taskId !== undefined) currentTaskId = taskId;
      await register();
    },
    async startTask(type, { priority } = {}) {
      const { id: taskId } = await api.agents.upsertTask.mutate({ agentId: id, type, priority, status: 'running' });
      ownTasks.add(taskId);
      const update = async (fields: { progress?: number; status?: TaskStatus; result?: string | null; error?: string | null }) => {
        await api.agents.upsertTask.mutate({ id: taskId, ...fields });
      };
      return {
        id: taskId,
        progress: (progress) => update({ progress }),
        complete: (result) => update({ status: 'completed', result: result ?? null }),
        fail: (error) => update({ status: 'failed', error }),
      };
    },
    workflow(workflowId) {
      let executionId: string | null = null;
      return {
        workflowId,
        get executionId() {
          return executionId;
        },
        async step(stage, progress, stepStatus = 'running', outcome = {}) {
          const result = await api.agents.workflowStep.mutate({ workflowId, executionId: executionId ?? undefined, agentId: id, stage, progress, status: stepStatus, ...outcome });
          executionId = result.executionId;
        },
      };
    },
    remember: (input) => api.agents.recordMemory.mutate({ ...input, agentId: id }),
    async close() {
      if (closed) return;
      closed = true;
      for (const stop of stops) stop();
      status = 'offline';
      await register().catch(() => undefined);
      client.close();
    },
  };

  // Built in: pause and resume flip `paused`; cancelTask cancels one of this agent's own tasks.
  const builtIn: Partial<Record<AgentCommandKind, CommandHandler>> = {
    async pause() {
      paused = true;
      await agent.setStatus('idle');
      return 'paused';
    },
    async resume() {
      paused = false;
      await agent.setStatus('active');
      return 'resumed';
    },
    async cancelTask(command) {
      if (!ownTasks.has(command.taskId!)) throw new Error(`task ${command.taskId} is not one of this agent's`);
      await api.agents.upsertTask.mutate({ id: command.taskId!, status: 'cancelled' });
      return `cancelled ${command.taskId}`;
    },
  };

  // A command is handled once, even when a resync or a resumed stream shows it again.
  const handled = new Set<string>();
  async function answer(command: AgentCommand): Promise<void> {
    const own = handlers[command.kind];
    const base = command.kind === 'cancelTask' && own ? undefined : builtIn[command.kind];
    let accepted = true;
    let message: string | undefined;
    try {
      if (!base && !own) throw new Error(`this agent does not handle ${command.kind}`);
      const first = base ? await base(command, agent) : undefined;
      const second = own ? await own(command, agent) : undefined;
      message = (second ?? first) || undefined;
    } catch (error) {
      accepted = false;
      message = errorMessage(error);
    }
    await api.agents.acknowledgeCommand.mutate({ id: command.id, agentId: id, accepted, message: message?.slice(0, 500) });
  }
  try {
    await register();
  } catch (error) {
    closed = true;
    for (const stop of stops) stop();
    client.close();
    throw error;
  }
  // Followed once registered (a refused agent reports one error, not one per stream); the
  // snapshot holds every command sent before, so none is missed.
  // Commands are answered one at a time, in the order they were sent.
  let queue = Promise.resolve();
  const commandSub = api.agents.onCommands.subscribe(
    { agentId: id },
    {
      onData: ({ data }: { data: StreamMessage<AgentCommand> }) => {
        const rows = data.type === 'changes' ? data.upserts : data.items;
        for (const command of rows) {
          if (command.state !== 'sent') {
            handled.delete(command.id);
            continue;
          }
          if (handled.has(command.id) || closed) continue;
          handled.add(command.id);
          queue = queue.then(() => answer(command)).catch(onError);
        }
      },
      onError,
    },
  );
  stops.push(() => commandSub.unsubscribe());
  return agent;
}
