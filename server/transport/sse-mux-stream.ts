import type { ServerResponse } from 'node:http';
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, TRPCError, type AnyRouter } from '@trpc/server';
import { isObservable } from '@trpc/server/observable';
import { isAsyncIterable, isObject, isTrackedEnvelope } from '@trpc/server/unstable-core-do-not-import';
import type { Context } from '../context';
import { iterateSubscription } from './iterate-subscription';
import { muxKey, type MuxSubscribe, type MuxSubscriptionId } from './sse-mux-request';

/** What goes out on a multiplexed stream, one JSON object per SSE `data:` line. */
export type MuxFrame =
  | { t: 'open'; stream: string; pingMs: number }
  | { t: 'ping' }
  | { t: 'started'; s: MuxSubscriptionId }
  | { t: 'data'; s: MuxSubscriptionId; id?: string; data: unknown }
  | { t: 'error'; s: MuxSubscriptionId; error: unknown }
  | { t: 'stopped'; s: MuxSubscriptionId };

export type MuxErrorHandler = (opts: { error: TRPCError; path: string; type: 'subscription'; ctx: Context }) => void;

/**
 * One tab's SSE stream and the subscriptions it carries. Each subscription runs its procedure as
 * tRPC's own adapters do (input validated, roles and limits checked by the middlewares, the
 * generator's `finally` run on stop), with the stream's context: its congestion is the response's
 * `writableLength`, so every topic waits and conflates while the client is not reading.
 */
export class MuxStream {
  private readonly subscriptions = new Map<string, AbortController>();
  /** Pings in a row at which the response was still over the high-water mark. */
  stalledPings = 0;

  constructor(
    readonly id: string,
    /** The caller that opened it (`identityOf`): only it may subscribe on it. */
    readonly identity: string,
    readonly ctx: Context,
    private readonly res: ServerResponse,
    private readonly router: AnyRouter,
    private readonly onError?: MuxErrorHandler,
  ) {}

  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /** Subscriptions running or starting on this stream. */
  get size(): number {
    return this.subscriptions.size;
  }

  /** Bytes written and not yet taken by the client's connection. */
  get buffered(): number {
    return this.res.writableLength;
  }

  has(id: MuxSubscriptionId): boolean {
    return this.subscriptions.has(muxKey(id));
  }

  send(frame: MuxFrame): void {
    if (this.open) this.res.write(`data: ${JSON.stringify(frame)}\n\n`);
  }

  /** Starts a subscription; what happens to it (started, data, error, stopped) goes out as frames. */
  subscribe(op: MuxSubscribe): void {
    const key = muxKey(op.id);
    const aborter = new AbortController();
    this.subscriptions.set(key, aborter);
    // As tRPC's WebSocket adapter does: the resume point travels in the input.
    let input = op.input;
    if (op.lastEventId !== null) input = isObject(input) ? { ...input, lastEventId: op.lastEventId } : (input ?? { lastEventId: op.lastEventId });
    void this.start(op, key, input, aborter);
  }

  /** Stops a subscription (its procedure's `finally` runs); unknown ids are ignored. */
  unsubscribe(id: MuxSubscriptionId): void {
    const key = muxKey(id);
    const aborter = this.subscriptions.get(key);
    if (!aborter) return;
    this.subscriptions.delete(key);
    aborter.abort();
  }

  /** Ends the response (a client reconnects and resumes). */
  finish(): void {
    if (this.open) this.res.end();
  }

  /** Cuts the connection, as a network failure would. */
  destroy(): void {
    this.res.destroy();
  }

  /** The stream closed: every subscription stops. */
  close(): void {
    for (const aborter of this.subscriptions.values()) aborter.abort();
    this.subscriptions.clear();
  }

  private async start(op: MuxSubscribe, key: string, input: unknown, aborter: AbortController): Promise<void> {
    let result: unknown;
    try {
      result = await callTRPCProcedure({
        router: this.router,
        path: op.path,
        getRawInput: async () => input,
        ctx: this.ctx,
        type: 'subscription',
        signal: aborter.signal,
        batchIndex: 0,
      });
      if (!isAsyncIterable(result) && !isObservable(result)) {
        throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `subscription ${op.path} did not return an async iterable` });
      }
    } catch (cause) {
      this.fail(op, key, aborter, cause, input);
      return;
    }
    if (aborter.signal.aborted) {
      // Stopped while it was starting: the generator never ran, returning it ends it.
      if (isAsyncIterable(result)) void result[Symbol.asyncIterator]().return?.();
      return;
    }
    this.send({ t: 'started', s: op.id });
    let failed = false;
    iterateSubscription(result, aborter, {
      data: (value) => {
        if (aborter.signal.aborted) return;
        if (isTrackedEnvelope(value)) this.send({ t: 'data', s: op.id, id: String(value[0]), data: value[1] });
        else this.send({ t: 'data', s: op.id, data: value });
      },
      error: (cause) => {
        failed = true;
        this.fail(op, key, aborter, cause, input);
      },
      end: () => {
        if (this.subscriptions.get(key) !== aborter) return;
        this.subscriptions.delete(key);
        if (!failed && !aborter.signal.aborted) this.send({ t: 'stopped', s: op.id });
      },
    });
  }

  private fail(op: MuxSubscribe, key: string, aborter: AbortController, cause: unknown, input: unknown): void {
    if (this.subscriptions.get(key) !== aborter) return;
    this.subscriptions.delete(key);
    const error = getTRPCErrorFromUnknown(cause);
    this.onError?.({ error, path: op.path, type: 'subscription', ctx: this.ctx });
    const shape = getErrorShape({ config: this.router._def._config, error, type: 'subscription', path: op.path, input, ctx: this.ctx });
    this.send({ t: 'error', s: op.id, error: shape });
  }
}
