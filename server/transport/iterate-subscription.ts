import { getTRPCErrorFromUnknown } from '@trpc/server';
import { isObservable, observableToAsyncIterable } from '@trpc/server/observable';
import { Unpromise } from '@trpc/server/unstable-core-do-not-import';

export interface IterationSink {
  /** One value the procedure yielded (a `tracked` envelope or a plain value). */
  data(value: unknown): void;
  /** The procedure threw, or iterating it failed. */
  error(cause: unknown): void;
  /** Iteration is over; `cleanly` unless it failed outside the procedure's own steps. */
  end(cleanly: boolean): void;
}

/**
 * Runs a subscription procedure's result (async iterable or observable) as tRPC's stock adapter
 * does: every value to `sink.data` until it completes, throws or `aborter` aborts, then returns
 * the iterator so the procedure's `finally` runs. For subscriptions that are not desk streams.
 */
export function iterateSubscription(result: unknown, aborter: AbortController, sink: IterationSink): void {
  const iterable = (isObservable(result) ? observableToAsyncIterable(result as never, aborter.signal) : result) as AsyncIterable<unknown>;
  const iterator = iterable[Symbol.asyncIterator]();
  const aborted = new Promise<'abort'>((resolve) => {
    aborter.signal.onabort = () => resolve('abort');
  });
  void (async () => {
    let step = iterator.next();
    let finished = false;
    try {
      while (true) {
        const next = await Unpromise.race([step.catch(getTRPCErrorFromUnknown), aborted]);
        if (next === 'abort') {
          await iterator.return?.();
          break;
        }
        if (next instanceof Error) {
          finished = true;
          sink.error(next);
          break;
        }
        if (next.done) {
          finished = true;
          break;
        }
        sink.data(next.value);
        step = iterator.next();
      }
    } finally {
      if (!finished) await iterator.return?.();
    }
    sink.end(true);
  })().catch((cause) => {
    sink.error(cause);
    aborter.abort();
    sink.end(false);
  });
}
