import { TRPCError } from '@trpc/server';
import type { Caller, Role } from './tokens';

/** Node's timers fire at once beyond this delay (about 24.8 days), so longer waits are chained. */
const MAX_DELAY = 2 ** 31 - 1;

/** True when a stream of this role must end when the caller's token expires (anything above viewing). */
export function endsOnExpiry(caller: Caller | null, role: Role | undefined): caller is Caller & { expiresAt: number } {
  return caller !== null && caller.expiresAt !== null && role !== undefined && role !== 'viewer';
}

/** Runs `run` once the clock reaches `at` (ms since the epoch); returns a function that cancels it. */
export function atTime(at: number, run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = () => {
    const wait = at - Date.now();
    if (wait <= 0) return run();
    timer = setTimeout(arm, Math.min(wait, MAX_DELAY));
    timer.unref?.();
  };
  arm();
  return () => clearTimeout(timer);
}

/**
 * The values of `source` until `at`, then an UNAUTHORIZED error: a subscription above viewing
 * ends when its token expires. The source is told to return without waiting for it, so the error
 * goes out at once.
 */
export async function* untilExpiry<T>(source: AsyncIterable<T>, at: number, role: Role): AsyncGenerator<T, void> {
  const iterator = source[Symbol.asyncIterator]();
  let expire!: () => void;
  const expired = new Promise<'expired'>((resolve) => (expire = () => resolve('expired')));
  const cancel = atTime(at, expire);
  let done = false;
  try {
    while (true) {
      const next = await Promise.race([iterator.next(), expired]);
      if (next === 'expired') throw new TRPCError({ code: 'UNAUTHORIZED', message: `the token has expired; this ${role} stream has ended` });
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    cancel();
    if (!done) void iterator.return?.()?.catch(() => undefined);
  }
}
