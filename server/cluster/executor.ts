import { TRPCError } from '@trpc/server';
import type { CommandExecutor, CommandPath } from '../store/commands';
import { LogUnavailableError, type CommandLog } from './command-log';
import type { createInDoubt } from './in-doubt';

/** What folding a command gave: its result, or the error that refused it. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const TIMED_OUT = Symbol('timed out');
const ABANDONED = Symbol('abandoned');

export interface ClusterExecutorOptions {
  log: CommandLog;
  instance: string;
  /** How long a mutation waits for its command to come back from the log. */
  timeoutMs: number;
  /** Mutations waiting for their command to be folded, by nonce; the fold settles them. */
  waiting: Map<string, (outcome: Outcome) => void>;
  inDoubt: ReturnType<typeof createInDoubt<Outcome>>;
  /** Why this instance cannot apply commands now (null: it can). */
  refusal: () => string | null;
  /** A fire-and-forget command did not reach the log. */
  onDropped: () => void;
}

/**
 * Runs mutations through the shared log and answers each with what this instance knows: the
 * command's result or error once folded; `SERVICE_UNAVAILABLE` only when it knows nothing was
 * applied; `GATEWAY_TIMEOUT` (unknown: retry with the same idempotency key) when it cannot know
 * within `timeoutMs`. After a lost reply it asks Redis (`CommandLog.settle`) until it learns.
 */
export function createClusterExecutor(options: ClusterExecutorOptions): CommandExecutor {
  const { log, instance, timeoutMs, waiting, inDoubt } = options;
  let serial = 0;

  function unavailable(why = 'the shared command log (Redis) is unavailable'): TRPCError {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: `${why}; nothing was applied, try again` });
  }

  /** After a lost reply: asks Redis until it answers whether the command is in the log. */
  async function findOut(nonce: string, until: { passed: boolean }): Promise<typeof ABANDONED> {
    while (!until.passed) {
      try {
        if ((await log.settle(nonce)) === 'abandoned') return ABANDONED;
        return new Promise<never>(() => undefined); // logged: the fold answers
      } catch {
        await sleep(200);
      }
    }
    return new Promise<never>(() => undefined);
  }

  return {
    async execute(path, input, key) {
      const refusal = options.refusal();
      if (refusal) throw unavailable(`this instance cannot apply commands: ${refusal}`);
      const nonce = `${instance}:${++serial}`;
      // Registered before the append: this instance may fold the command before XADD answers.
      const result = new Promise<Outcome>((settle) => waiting.set(nonce, settle));
      const deadline = deadlineAfter(timeoutMs);
      let logged = true;
      try {
        await log.append({ path, input, ts: Date.now(), key }, nonce);
      } catch (error) {
        if (error instanceof LogUnavailableError) {
          waiting.delete(nonce);
          deadline.clear();
          throw unavailable();
        }
        logged = false; // sent, but no answer: it may or may not be in the log
      }
      const outcome = await Promise.race([result, deadline.promise, ...(logged ? [] : [findOut(nonce, deadline)])]);
      deadline.clear();
      if (outcome === ABANDONED) {
        waiting.delete(nonce);
        throw unavailable();
      }
      if (outcome === TIMED_OUT) {
        inDoubt.add(nonce, logged);
        throw new TRPCError({
          code: 'GATEWAY_TIMEOUT',
          message: logged
            ? 'the command is in the shared log and will apply, but its result did not come back in time; retry with the same idempotency key to get it'
            : 'unknown whether the command was applied (the shared log did not answer); retry with the same idempotency key',
        });
      }
      if (!outcome.ok) throw outcome.error;
      return outcome.value as never;
    },
    submit(path: CommandPath, input) {
      log.submit({ path, input, ts: Date.now() }, `${instance}:sim`).catch(options.onDropped);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deadlineAfter(ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const state = {
    passed: false,
    promise: new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => {
        state.passed = true;
        resolve(TIMED_OUT);
      }, ms);
    }),
    clear() {
      clearTimeout(timer);
      state.passed = true;
    },
  };
  return state;
}
