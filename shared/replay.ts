import type { Moment, ReplaySpeed } from './schema/replay.js';

/** A stream procedure of the typed client (`desk.api.market.onPrices`, …). */
interface Subscribable<TInput, TValue> {
  subscribe(
    input: TInput,
    handlers: { onData: (value: TValue) => void; onError: (error: unknown) => void; onComplete?: () => void },
  ): { unsubscribe(): void };
}

export interface ReplayRange {
  /** Where the replay starts: an event id or a time (ms). */
  from: Moment;
  /** Where it ends: the first message at or past this event id (e.g. `replay.window`'s `to.eventId`). */
  to: string;
  /** @default 100 */
  speed?: ReplaySpeed;
}

/**
 * One stream of the desk replayed from `from` to `to`, as an async iterable of its messages: the
 * snapshot as of `from`, then the recorded changes at `speed`, ending with the first message whose
 * id reaches `to` (a replay that caught up with the desk goes live with the desk's newest id).
 * A refusal (a moment out of range, a bad input) is thrown by the loop. Breaking out of the loop
 * unsubscribes.
 */
export async function* replayStream<TInput extends object, TValue extends { id: string }>(
  procedure: Subscribable<TInput & { replay: { from: Moment; speed: ReplaySpeed } }, TValue>,
  input: TInput,
  range: ReplayRange,
): AsyncGenerator<TValue> {
  const queue: TValue[] = [];
  let failure: { error: unknown } | null = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const sub = procedure.subscribe(
    { ...input, replay: { from: range.from, speed: range.speed ?? 100 } },
    {
      onData: (value) => {
        queue.push(value);
        notify();
      },
      onError: (error) => {
        failure = { error };
        notify();
      },
      onComplete: () => {
        ended = true;
        notify();
      },
    },
  );
  const to = BigInt(range.to);
  try {
    for (;;) {
      const value = queue.shift();
      if (value !== undefined) {
        yield value;
        if (BigInt(value.id) >= to) return;
        continue;
      }
      if (failure) throw (failure as { error: unknown }).error;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    sub.unsubscribe();
  }
}
