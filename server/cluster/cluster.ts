import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { applyCommand, type CommandExecutor, type CommandPath } from '../store/commands';
import type { Desk } from '../store/desk';
import { CommandLog, type LoggedCommand } from './command-log';

export interface ClusterOptions {
  url: string;
  prefix?: string;
  /** How long a mutation waits for its command to come back from the log. @default 10000 */
  timeoutMs?: number;
}

/** What folding a command gave: its result, or the error that refused it. */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * A mutation waiting for its command to come back through the log. It is settled with an outcome and
 * never rejected: the fold can reach the command before the append's reply does, and a rejection
 * nobody awaits yet would take the process down.
 */
interface Waiting {
  settle: (outcome: Outcome) => void;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Several desk instances sharing one ordered command log on Redis. A mutation appends its command
 * and answers once this instance has folded it; every instance folds every command in log order,
 * so all reach the same state under the same event ids, and a client's `lastEventId` means the same
 * thing everywhere.
 */
export async function connectCluster(options: ClusterOptions) {
  const log = new CommandLog({ url: options.url, prefix: options.prefix });
  await log.connect();
  const instance = randomBytes(6).toString('hex');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const waiting = new Map<string, Waiting>();
  let serial = 0;
  let applied = '0-0';
  let desk: Desk | null = null;
  let running = false;
  let loop: Promise<void> | null = null;
  let readFailures = 0;
  const progress: Array<{ id: number; resolve: () => void }> = [];

  function fold(entries: LoggedCommand[]): void {
    for (const { entryId, command, nonce } of entries) {
      let outcome: Outcome;
      try {
        outcome = { ok: true, value: applyCommand(desk!, command) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      applied = entryId;
      const waiter = waiting.get(nonce);
      if (waiter) {
        waiting.delete(nonce);
        waiter.settle(outcome);
      }
    }
    const lastId = desk!.hub.lastId;
    for (let i = progress.length - 1; i >= 0; i--) {
      if (progress[i]!.id <= lastId) progress.splice(i, 1)[0]!.resolve();
    }
  }

  async function tail(): Promise<void> {
    while (running) {
      try {
        fold(await log.read(applied, 500, 1000));
        readFailures = 0;
      } catch {
        readFailures++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * readFailures, 1000)));
      }
    }
  }

  const executor: CommandExecutor = {
    async execute(path, input, key) {
      const nonce = `${instance}:${++serial}`;
      // Registered before the append: this instance may fold the command before XADD answers.
      const folded = new Promise<Outcome>((settle) => waiting.set(nonce, { settle }));
      try {
        await log.append({ path, input, ts: Date.now(), key }, nonce);
      } catch {
        waiting.delete(nonce);
        throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the shared command log (Redis) is unavailable; nothing was applied, try again' });
      }
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs)));
      const outcome = await Promise.race([folded, deadline]);
      clearTimeout(timer);
      if (outcome === TIMED_OUT) {
        waiting.delete(nonce);
        throw new TRPCError({ code: 'TIMEOUT', message: 'the command was logged but not seen back in time; retry with the same idempotency key' });
      }
      if (!outcome.ok) throw outcome.error;
      return outcome.value as never;
    },
    submit(path: CommandPath, input) {
      log.append({ path, input, ts: Date.now() }, `${instance}:sim`).catch(() => desk && desk.counters.rejectedCommands++);
    },
  };

  return {
    executor,
    instance,
    /** The event id every instance of this cluster starts from. */
    base: (proposed: number) => log.base(proposed),
    /** Folds the whole log into `target`, then keeps folding as commands arrive. */
    async start(target: Desk): Promise<void> {
      desk = target;
      for (;;) {
        const batch = await log.read(applied, 1000, null);
        if (batch.length === 0) break;
        fold(batch);
      }
      running = true;
      loop = tail();
    },
    /** Resolves once this instance has folded up to `eventId` (or after `timeoutMs`). */
    caughtUp(eventId: number, timeoutMs = 2000): Promise<void> {
      if (!desk || desk.hub.lastId >= eventId) return Promise.resolve();
      return new Promise((resolve) => {
        const entry = { id: eventId, resolve };
        progress.push(entry);
        setTimeout(() => {
          const index = progress.indexOf(entry);
          if (index >= 0) progress.splice(index, 1);
          resolve();
        }, timeoutMs).unref();
      });
    },
    get up() {
      return log.up && readFailures === 0;
    },
    async stop(): Promise<void> {
      running = false;
      log.close(); // ends a blocked read at once
      await loop;
    },
  };
}
export type Cluster = Awaited<ReturnType<typeof connectCluster>>;
