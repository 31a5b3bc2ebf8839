import type { Operation, TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import type { MuxObserver, SseMuxClient } from './sse-mux-client.js';

type Observer = { next(value: unknown): void; error(error: unknown): void; complete(): void };

/**
 * A terminating link that carries subscriptions over one multiplexed SSE stream
 * (`createSseMuxClient`), as `wsLink` does over one WebSocket: the same result envelopes, the same
 * tracked ids, resumed from the last one after a reconnect. Queries and mutations go another way:
 * put it under a `splitLink` beside `httpBatchLink`.
 */
export function sseMuxLink<TRouter extends AnyRouter>(opts: { client: SseMuxClient }): TRPCLink<TRouter> {
  return () =>
    ({ op }) =>
      subscription(opts.client, op) as never;
}

/**
 * The observable of one subscription, with tRPC's observable contract (nothing after an error or
 * completion; the teardown runs once, whichever comes first) and without importing tRPC's server
 * package, which the client package keeps out of its imports.
 */
function subscription(client: SseMuxClient, op: Operation) {
  const observable = {
    subscribe(observer: Partial<Observer>) {
      let done = false;
      let stop: (() => void) | null = null;
      const teardown = () => {
        if (done) return;
        done = true;
        stop?.();
        op.signal?.removeEventListener('abort', onComplete);
      };
      const onComplete = () => {
        if (done) return;
        teardown();
        observer.complete?.();
      };
      if (op.type !== 'subscription') {
        done = true;
        observer.error?.(new Error(`sseMuxLink carries subscriptions only, not the ${op.type} ${op.path}: send it with httpBatchLink under a splitLink`));
        return { unsubscribe: () => {} };
      }
      const sink: MuxObserver = {
        next: (envelope) => {
          if (!done) observer.next?.({ ...envelope, context: op.context });
        },
        error: (error) => {
          if (done) return;
          teardown();
          observer.error?.(error);
        },
        complete: onComplete,
      };
      stop = client.subscribe(op.path, op.input, sink);
      if (op.signal?.aborted) onComplete();
      else op.signal?.addEventListener('abort', onComplete, { once: true });
      return { unsubscribe: teardown };
    },
    pipe(...operators: Array<(source: unknown) => unknown>): unknown {
      return operators.reduce<unknown>((source, operator) => operator(source), observable);
    },
  };
  return observable;
}
