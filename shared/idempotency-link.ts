import type { TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

/**
 * A link that gives every mutation an idempotency key unless the caller passed one, so a retry of
 * it (by `retryLink`, after an answer that leaves its fate unknown) can never apply it twice.
 * Input that is not a plain object is left alone; types are unchanged (every mutation already
 * accepts an optional `idempotencyKey`).
 */
export function idempotencyKeyLink<TRouter extends AnyRouter>(newKey: () => string = randomKey): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      if (op.type !== 'mutation') return next(op);
      const input = op.input ?? {};
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return next(op);
      if ((input as { idempotencyKey?: unknown }).idempotencyKey !== undefined) return next(op);
      return next({ ...op, input: { ...input, idempotencyKey: newKey() } });
    };
}

/** 128 random bits, hex (`getRandomValues` works outside secure contexts too, unlike `randomUUID`). */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Answers after which a mutation's fate is unknown or it certainly did nothing, so that with its
 * idempotency key it is safe to send again: the server could not reach the shared log
 * (`SERVICE_UNAVAILABLE`), the log did not answer in time (`GATEWAY_TIMEOUT`), or no answer came
 * at all (the connection failed; the error carries no data).
 */
export function isRetryableMutationError(error: { data?: { code?: string } | null }): boolean {
  const code = error.data?.code;
  return code === undefined || code === 'SERVICE_UNAVAILABLE' || code === 'GATEWAY_TIMEOUT';
}
