import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

/**
 * Levels of nesting an input may have to be sent. `JSON.stringify` recurses and overflows the
 * stack some thousands of levels down (~4,000 arrays in Node 20's main thread, fewer in a worker
 * or a browser); nothing the desk accepts comes near this (custom event data: 32 levels).
 */
export const MAX_INPUT_DEPTH = 1_000;

/**
 * Why `value` cannot be sent as JSON, or null when it can: a cycle, a BigInt, nesting deeper than
 * `maxDepth`, or a `toJSON` that throws, each with where in the input it is (`data.rows[2]`).
 * It walks the value as `JSON.stringify` would (own enumerable keys, `toJSON` first), without
 * recursion, so the check itself cannot overflow the stack.
 */
export function unsendableInput(value: unknown, maxDepth: number = MAX_INPUT_DEPTH): string | null {
  interface Frame {
    value: object;
    keys: string[];
    next: number;
  }
  const stack: Frame[] = [];
  const onPath = new Set<object>();
  // The path to what is being visited: each open object's current key.
  const where = () => {
    const keys = stack.map((f) => f.keys[f.next - 1]!);
    const shown = keys.length > 8 ? [...keys.slice(0, 4), '…', ...keys.slice(-3)] : keys;
    const path = shown.map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : i === 0 || (i === 4 && keys.length > 8) ? k : `.${k}`)).join('');
    return path === '' ? 'the input itself' : path;
  };
  // Returns a problem with `v` itself, or pushes it when it has children to walk.
  const visit = (v: unknown, key?: string): string | null => {
    if (v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      try {
        v = (v as { toJSON(key: string): unknown }).toJSON(key ?? '');
      } catch (error) {
        return `its toJSON threw at ${where()} (${error instanceof Error ? error.message : String(error)})`;
      }
    }
    if (typeof v === 'bigint') return `a BigInt at ${where()} has no JSON form (send it as a string or a number)`;
    if (v === null || typeof v !== 'object') return null;
    if (onPath.has(v)) return `it refers to itself at ${where()} (a cycle has no JSON form)`;
    if (stack.length >= maxDepth) return `it is nested deeper than ${maxDepth} levels at ${where()}`;
    onPath.add(v);
    stack.push({ value: v, keys: Object.keys(v), next: 0 });
    return null;
  };
  let problem = visit(value);
  while (problem === null && stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.keys.length) {
      onPath.delete(frame.value);
      stack.pop();
      continue;
    }
    const key = frame.keys[frame.next++]!;
    problem = visit((frame.value as Record<string, unknown>)[key], key);
  }
  return problem;
}

/**
 * A link that fails an operation whose input cannot be sent as JSON, at once and for good, with a
 * `BAD_REQUEST` error saying why and where (see `unsendableInput`). Without it the serializer's
 * `RangeError` or `TypeError` reaches the retry link as an error with no answer, which reads as a
 * lost connection: a mutation was sent again with backoff before it failed with "Maximum call
 * stack size exceeded", and a subscription was retried without end and never reported anything.
 * Put it before the retry link.
 */
export function sendableInputLink<TRouter extends AnyRouter>(maxDepth: number = MAX_INPUT_DEPTH): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      const problem = unsendableInput(op.input, maxDepth);
      if (problem === null) return next(op);
      const error = TRPCClientError.from({
        error: { code: -32600, message: `the input of ${op.path} cannot be sent: ${problem}`, data: { code: 'BAD_REQUEST', httpStatus: 400, path: op.path } },
      });
      return failed(error) as ReturnType<typeof next>;
    };
}

/**
 * An observable that fails with `error` as soon as it is subscribed to, with tRPC's contract and
 * without importing tRPC's server package (which the client package keeps out of its imports).
 */
function failed(error: unknown) {
  const observable = {
    subscribe(observer: { error?: (error: unknown) => void }) {
      observer.error?.(error);
      return { unsubscribe: () => {} };
    },
    pipe(...operators: Array<(source: unknown) => unknown>): unknown {
      return operators.reduce<unknown>((source, operator) => operator(source), observable);
    },
  };
  return observable;
}
