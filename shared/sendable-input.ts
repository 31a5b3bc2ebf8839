import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

/**
 * Levels of nesting an input may have to be sent. `JSON.stringify` recurses and overflows the
 * stack some thousands of levels down (~4,000 arrays in Node 20's main thread, fewer in a worker
 * or a browser); nothing the desk accepts comes near this (custom event data: 32 levels).
 */
export const MAX_INPUT_DEPTH = 1_000;

/** What `inspectInput` found: why the value cannot be sent (null: it can), and a bound on its size. */
export interface InputInspection {
  problem: string | null;
  /** Never less than the UTF-8 bytes of its JSON (each character counted as the escape it could be). */
  bytesAtMost: number;
}

const BOXES: Record<string, () => unknown> = {
  '[object Number]': Number.prototype.valueOf,
  '[object String]': String.prototype.valueOf,
  '[object Boolean]': Boolean.prototype.valueOf,
  '[object BigInt]': BigInt.prototype.valueOf,
};

/** The primitive a Number, String, Boolean or BigInt object holds (from any realm), else `v` itself. */
function unbox(v: object): unknown {
  const valueOf = BOXES[Object.prototype.toString.call(v)];
  if (valueOf === undefined) return v;
  try {
    return valueOf.call(v);
  } catch {
    // Only tagged as one (`Symbol.toStringTag`), holding nothing: an object like any other.
    return v;
  }
}

/**
 * Walks `value` as `JSON.stringify` would (own enumerable keys, `toJSON` first), without
 * recursion, so the check itself cannot overflow the stack: a cycle, a BigInt, nesting deeper than
 * `maxDepth` or a `toJSON` that throws is the problem, with where in the input it is
 * (`data.rows[2]`); meanwhile it adds up a bound on the size of the JSON it would make.
 */
export function inspectInput(value: unknown, maxDepth: number = MAX_INPUT_DEPTH): InputInspection {
  interface Frame {
    value: object;
    /** An object's own enumerable keys; null for an array, whose indexes 0 … length - 1 are its keys, holes too. */
    keys: string[] | null;
    length: number;
    next: number;
  }
  const keyAt = (f: Frame, i: number) => (f.keys ? f.keys[i]! : String(i));
  const stack: Frame[] = [];
  const onPath = new Set<object>();
  let bytesAtMost = 0;
  // The path to what is being visited: each open object's current key.
  const where = () => {
    const keys = stack.map((f) => keyAt(f, f.next - 1));
    const shown = keys.length > 8 ? [...keys.slice(0, 4), '…', ...keys.slice(-3)] : keys;
    const path = shown.map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : i === 0 || (i === 4 && keys.length > 8) ? k : `.${k}`)).join('');
    return path === '' ? 'the input itself' : path;
  };
  // Returns a problem with `v` itself, or pushes it when it has children to walk.
  const visit = (v: unknown, key?: string): string | null => {
    if ((typeof v === 'object' && v !== null) || typeof v === 'function' || typeof v === 'bigint') {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        try {
          v = toJSON.call(v, key ?? '');
        } catch (error) {
          return `its toJSON threw at ${where()} (${error instanceof Error ? error.message : String(error)})`;
        }
      }
    }
    // Boxed primitives are written as the value they box (a boxed BigInt throws like a BigInt).
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) v = unbox(v);
    if (typeof v === 'bigint') return `a BigInt at ${where()} has no JSON form (send it as a string or a number)`;
    if (typeof v === 'string') bytesAtMost += 2 + 6 * v.length;
    // The longest number JSON writes is 25 characters (-0.0000012345678901234567).
    else if (v === null || typeof v !== 'object') bytesAtMost += 26;
    else {
      if (onPath.has(v)) return `it refers to itself at ${where()} (a cycle has no JSON form)`;
      if (stack.length >= maxDepth) return `it is nested deeper than ${maxDepth} levels at ${where()}`;
      onPath.add(v);
      // As JSON.stringify: an array's elements by index (a hole is null), an object's own keys.
      const keys = Array.isArray(v) ? null : Object.keys(v);
      stack.push({ value: v, keys, length: keys ? keys.length : (v as unknown[]).length, next: 0 });
      bytesAtMost += 2;
    }
    return null;
  };
  let problem: string | null = null;
  try {
    problem = visit(value);
    while (problem === null && stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next === frame.length) {
        onPath.delete(frame.value);
        stack.pop();
        continue;
      }
      const key = keyAt(frame, frame.next++);
      // A key with its quotes (each character at most a 6-byte escape), colon and comma; an element's comma.
      bytesAtMost += frame.keys ? 4 + 6 * key.length : 1;
      problem = visit((frame.value as Record<string, unknown>)[key], key);
    }
  } catch (error) {
    // A getter or a proxy that throws: JSON.stringify would throw there too.
    problem = `reading it threw at ${where()} (${error instanceof Error ? error.message : String(error)})`;
  }
  return { problem, bytesAtMost };
}

/** Why `value` cannot be sent as JSON, or null when it can (see `inspectInput`). */
export function unsendableInput(value: unknown, maxDepth: number = MAX_INPUT_DEPTH): string | null {
  return inspectInput(value, maxDepth).problem;
}

/** The most an operation's input may take as JSON, and what sets that limit (said in the error). */
export interface InputBudget {
  /** Bytes of UTF-8 JSON, or with `encoded` characters of it percent-encoded. */
  bytes: number;
  /** It travels in a URL: counted percent-encoded (each UTF-8 byte up to 3 characters). */
  encoded?: boolean;
  /** What carries it and what sets the limit, e.g. `a WebSocket frame (DESK_MAX_FRAME_BYTES)`. */
  carrier: string;
}

/** Budgets per kind of operation; a kind without one is not measured. */
export interface SendableInputOptions {
  maxDepth?: number;
  /**
   * A mutation whose JSON is over this many bytes is marked to go in a request of its own
   * (`op.context.unbatched`, for a `splitLink` before the batch link): its share of a batch's body.
   */
  mutationShare?: number;
  query?: InputBudget;
  mutation?: InputBudget;
  subscription?: InputBudget;
}

/**
 * Why `value`, the input of an operation with `budget`, cannot be sent, and the error code that
 * says so (`BAD_REQUEST`, or `PAYLOAD_TOO_LARGE` when its JSON is over the budget); null when it can.
 * The JSON is made to be measured only when the bound the walk added up is over the budget.
 */
export function inputRefusal(value: unknown, budget: InputBudget | undefined, maxDepth: number = MAX_INPUT_DEPTH): Refusal | null {
  return assess(value, budget, maxDepth, undefined).refusal;
}

type Refusal = { code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE'; reason: string };

/**
 * `inputRefusal`, and whether the input's JSON is over `share` bytes, from one walk (and at most one
 * measurement, when the walk's bound is over the budget or the share).
 */
function assess(value: unknown, budget: InputBudget | undefined, maxDepth: number, share: number | undefined): { refusal: Refusal | null; overShare: boolean } {
  const { problem, bytesAtMost } = inspectInput(value, maxDepth);
  if (problem !== null) return { refusal: { code: 'BAD_REQUEST', reason: problem }, overShare: false };
  const overBudget = budget !== undefined && bytesAtMost * (budget.encoded ? 3 : 1) > budget.bytes;
  const maybeOverShare = share !== undefined && bytesAtMost > share;
  if (!overBudget && !maybeOverShare) return { refusal: null, overShare: false };
  const bytes = measure(value, budget);
  const overShare = maybeOverShare && (budget?.encoded ? measure(value) : bytes) > share!;
  if (!overBudget || bytes <= budget!.bytes) return { refusal: null, overShare };
  const unit = budget!.encoded ? 'characters percent-encoded' : 'bytes as JSON';
  return { refusal: { code: 'PAYLOAD_TOO_LARGE', reason: `it is ${Number.isFinite(bytes) ? bytes : 'more than a string holds of'} ${unit}, over the ${budget!.bytes} ${budget!.carrier} carries` }, overShare };
}

/**
 * The size of `value`'s JSON as `budget` counts it, for a value `inspectInput` passed: UTF-8 bytes,
 * or characters percent-encoded for a URL; Infinity when the JSON is longer than a string can hold.
 */
function measure(value: unknown, budget: Pick<InputBudget, 'encoded'> = {}): number {
  if (value === undefined) return 0;
  try {
    const json = JSON.stringify(value) ?? '';
    return budget.encoded ? encodeURIComponent(json).length : new TextEncoder().encode(json).length;
  } catch {
    return Infinity;
  }
}

/** The desk's limits as it ships: `DESK_MAX_FRAME_BYTES` and `DESK_MAX_BODY_BYTES`. */
export const DESK_LIMITS = { maxFrameBytes: 65_536, maxBodyBytes: 1_048_576 } as const;

/**
 * The most of an input's JSON, percent-encoded, that fits a URL: query inputs and (with `sse`)
 * subscription inputs travel in one. tRPC's batch link sends no URL over its `maxURLLength` (8,000
 * in the desk's client: a longer single query fails with no code), and Node's HTTP server reads
 * 16 KiB of request line and headers; the rest is the address, the path and the envelope.
 */
export const URL_INPUT_CHARS = 6_000;

/**
 * What each kind of operation's input may take as JSON on the way to a desk with these limits,
 * subscriptions carried by a WebSocket frame (`ws`), a URL (`sse`) or a request body (an SSE
 * multiplexer's subscribe requests); each leaves room for the envelope around the input.
 */
export function deskInputBudgets(subscriptions: 'ws' | 'url' | 'body', limits: { maxFrameBytes?: number; maxBodyBytes?: number } = {}): SendableInputOptions {
  const frame = limits.maxFrameBytes ?? DESK_LIMITS.maxFrameBytes;
  const body = limits.maxBodyBytes ?? DESK_LIMITS.maxBodyBytes;
  const url: InputBudget = { bytes: URL_INPUT_CHARS, encoded: true, carrier: 'the URL it travels in' };
  const request: InputBudget = { bytes: body - 1_024, carrier: 'an HTTP request body (DESK_MAX_BODY_BYTES) with its envelope' };
  return {
    query: url,
    mutation: request,
    subscription:
      subscriptions === 'ws' ? { bytes: frame - 512, carrier: 'a WebSocket frame (DESK_MAX_FRAME_BYTES) with its envelope' } : subscriptions === 'url' ? url : request,
  };
}

/**
 * A link that fails an operation whose input cannot be sent, at once and for good, saying why and
 * where: `BAD_REQUEST` when it has no JSON form (see `inspectInput`), `PAYLOAD_TOO_LARGE` when its
 * JSON is over what the operation's carrier takes (`options`: a WebSocket frame, a URL, a body).
 * Without it the serializer's `RangeError` or `TypeError` reached the retry link as an error with
 * no answer, which reads as a lost connection: a mutation was sent again with backoff before it
 * failed with "Maximum call stack size exceeded", and a subscription was retried without end and
 * never reported anything; and a subscription over the desk's frame limit had the socket closed
 * (1009) and sent again on every reconnect, taking the connection's other subscriptions down with
 * it each time. Put it before the retry link.
 */
export function sendableInputLink<TRouter extends AnyRouter>(options: SendableInputOptions = {}): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      const { refusal, overShare } = assess(op.input, options[op.type], options.maxDepth ?? MAX_INPUT_DEPTH, op.type === 'mutation' ? options.mutationShare : undefined);
      if (refusal === null) return overShare ? next({ ...op, context: { ...op.context, unbatched: true } }) : next(op);
      const error = TRPCClientError.from({
        error: {
          code: refusal.code === 'BAD_REQUEST' ? -32600 : -32013,
          message: `the input of ${op.path} cannot be sent: ${refusal.reason}`,
          data: { code: refusal.code, httpStatus: refusal.code === 'BAD_REQUEST' ? 400 : 413, path: op.path },
        },
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
