import type { Outcome } from '../persist/journal';
import type { Desk } from './desk';

/** Mutations run in one group at most; more wait for the next turn of the event loop. @default 512 */
const MAX_GROUP = 512;

interface Queued {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: mutations that arrive in the same turn of the event loop run together, after the
 * I/O of that turn, in one journal transaction (`Journal.group`): one write and one fsync for all
 * of them. Each caller's promise settles only once the group's transaction stands, so an answer
 * still means the change is durable; a group whose write fails fails every one of its mutations
 * and leaves no trace.
 */
export function createGroupCommit(desk: Desk) {
  let queue: Queued[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const group = queue.length > MAX_GROUP ? queue.splice(0, MAX_GROUP) : queue;
    if (group === queue) queue = [];
    else schedule();
    const runs = group.map((item) => item.run);
    const outcomes: Array<Outcome<unknown>> = desk.journal ? desk.journal.group(runs) : runs.map(runAlone);
    outcomes.forEach((outcome, i) => {
      const item = group[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  };
  // After this turn's I/O callbacks: every mutation that arrived with them joins the group.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  return {
    /** Runs `run` (a mutation calling `desk.once`) in the next group; resolves once it is durable. */
    run<R>(run: () => R): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}

function runAlone(run: () => unknown): Outcome<unknown> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}
