import type { AnyRouter } from '@trpc/server';
import { parseTRPCMessage, type TRPCClientOutgoingMessage } from '@trpc/server/rpc';
import type { RawData, WebSocket } from 'ws';
import { TokenBucket } from '../limits/token-bucket';
import { answerOf } from './answer-id';
import { createHeartbeat } from './heartbeat';
import { HARD_BYTES, HARD_FRAMES } from './inbox';
import { Refusals } from './refusals';

const POLL_MS = 20;
// Frames handed to the adapter per turn of the event loop while a backlog drains.
const SLICE = 16;
const FRAME_OVERHEAD = 64;
const EMPTY_BATCH = '{"id":null,"error":{"message":"empty batch","code":-32700,"data":{"code":"PARSE_ERROR","httpStatus":400}}}';

export interface FrameGuardOptions {
  keepAlive: { enabled: boolean; pingMs: number; pongWaitMs: number };
  /** Outgoing bytes buffered above which the socket is not read. */
  highWaterMark: number;
  /** Frames per second per connection, and the burst. */
  perSecond: number;
  burst: number;
  /** Calls per batch frame; each call past it is answered TOO_MANY_REQUESTS under its own id. */
  maxBatch: number;
  /** Queries, mutations and not yet started subscriptions one connection may have with the adapter. */
  maxInFlight: number;
  /** The router the adapter serves (its error formatter shapes the refusals). */
  router: AnyRouter;
  /** The socket stopped being read because a budget is spent. */
  onThrottled?: () => void;
  /** `count` calls of a batch were refused for the batch limit. */
  onBatchLimit?: (count: number) => void;
}

/** Hands a frame to the adapter's own message listener. */
export type Deliver = (data: RawData, isBinary: boolean) => void;

/**
 * What the stock transport (tRPC's own adapter) gets, in front of the adapter's message listener
 * (the adapter's request handling is not ours, so this sits between the socket and it):
 * - every frame spends from the connection's budget and its caller's (the address: the adapter
 *   makes the context inside), one per 50 bytes as if each held as many calls as it could, and
 *   while a budget is spent or the outgoing buffer is over the high-water mark the socket is not read;
 * - a batch's calls past `maxBatch` are answered TOO_MANY_REQUESTS under their own id, and only
 *   the first `maxBatch` reach the adapter;
 * - at most `maxInFlight` queries, mutations and starting subscriptions are with the adapter at
 *   once: a call is in flight from when it is handed over until a frame with its id goes out (seen
 *   by wrapping this socket's `send`, reading only the id and a few bytes after it), a subscription
 *   until `started`; over it, frames wait (the socket is not read, and past a few thousand frames
 *   it is closed 1008) and a batch is handed over in parts; a call reusing the id of a call in
 *   flight or of a running subscription is refused BAD_REQUEST, so an id's answers are its own;
 * - keep-alive counts only PONG, and the one malformed frame the adapter passes over in silence,
 *   an empty batch, gets a PARSE_ERROR in tRPC's own shape.
 * A frame of calls is parsed here and once more by the adapter. Not bounded here: the cost of the
 * adapter's own refusals (tRPC builds each error), and slicing one connection's calls against
 * others' (each handed-over part runs at once, up to `maxInFlight`).
 */
export function createFrameGuard(options: FrameGuardOptions) {
  const heartbeat = options.keepAlive.enabled ? createHeartbeat(options.keepAlive.pingMs, options.keepAlive.pongWaitMs) : null;
  const refusals = new Refusals(options.router);

  return {
    /**
     * Guards `socket`, handing what is within bounds to `deliver` (the adapter's listener, taken
     * off the socket). `expectsParams`: the adapter reads the first frame as connection params.
     */
    guard(socket: WebSocket, shared: TokenBucket | null, deliver: Deliver, expectsParams: boolean): void {
      new GuardedSocket(socket, shared ? [new TokenBucket(options.perSecond, options.burst), shared] : [new TokenBucket(options.perSecond, options.burst)], deliver, expectsParams, options, refusals, heartbeat);
    },
  };
}

interface Waiting {
  data: RawData;
  isBinary: boolean;
  /** Once parsed: the raw calls and their parsed form, and how many were handed over. */
  raw?: unknown[];
  calls?: TRPCClientOutgoingMessage[];
  next?: number;
  /** The frame as it came, while it is handed over whole. */
  whole?: boolean;
}

type Heartbeat = ReturnType<typeof createHeartbeat>;

class GuardedSocket {
  private readonly waiting: Waiting[] = [];
  private waitingBytes = 0;
  /** Request ids (as JSON) with the adapter: 'call' until answered, 'subscription' until started. */
  private readonly inFlight = new Map<string, 'call' | 'subscription'>();
  /** Ids of started subscriptions, until their `stopped` or error. */
  private readonly streams = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private throttling = false;
  private closed = false;
  private readonly send: (data: string) => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly budgets: TokenBucket[],
    private readonly deliver: Deliver,
    private expectsParams: boolean,
    private readonly options: FrameGuardOptions,
    private readonly refusals: Refusals,
    private readonly heartbeat: Heartbeat | null,
  ) {
    const send = socket.send as (...args: unknown[]) => void;
    // Our own frames skip the watch on answers: a refusal must not end the call in flight under the same id.
    this.send = (data) => send.call(socket, data);
    socket.send = ((data: unknown, ...rest: unknown[]) => {
      if (typeof data === 'string' && (this.inFlight.size > 0 || this.streams.size > 0)) this.saw(data);
      send.call(socket, data, ...rest);
    }) as WebSocket['send'];
    heartbeat?.add(socket);
    socket.on('message', (data: RawData, isBinary: boolean) => this.arrive(data, isBinary));
    socket.on('close', () => this.close());
  }

  private arrive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const size = Buffer.isBuffer(data) ? data.length : 0;
    // The adapter's calls per frame are counted only once it is read; a call takes at least ~50
    // bytes, so a frame costs as many calls as it could hold.
    const cost = 1 + Math.floor(size / 50);
    for (const budget of this.budgets) budget.spend(cost);
    if (!isBinary && size === 4) {
      const text = String(data);
      if (text === 'PONG') {
        this.heartbeat?.seen(this.socket);
        this.pace();
        return;
      }
      // Answered at once whatever waits, so the client's own keep-alive never times out behind calls.
      if (text === 'PING') {
        this.deliver(data, isBinary);
        this.pace();
        return;
      }
    }
    const frame: Waiting = { data, isBinary };
    if (this.waiting.length === 0 && !this.blocked()) {
      if (this.handOver(frame)) {
        this.pace();
        return;
      }
    }
    this.waiting.push(frame);
    this.waitingBytes += size + FRAME_OVERHEAD;
    if (this.waiting.length > HARD_FRAMES || this.waitingBytes > HARD_BYTES) {
      // What ws had read when the socket paused is one read; past these this is not a tRPC client.
      this.close();
      this.socket.close(1008, 'too much unread input');
      return;
    }
    this.pace();
  }

  /** Too many calls with the adapter, or too many answers not yet written out. */
  private blocked(): boolean {
    return this.inFlight.size >= this.options.maxInFlight || this.socket.bufferedAmount > this.options.highWaterMark;
  }

  /** Hands over what of `frame` is within bounds; true when nothing of it is left. */
  private handOver(frame: Waiting): boolean {
    if (frame.calls === undefined && !this.unpack(frame)) return true;
    const raw = frame.raw!;
    const calls = frame.calls!;
    const from = frame.next!;
    let room = this.options.maxInFlight - this.inFlight.size;
    let skipped = false;
    let at = from;
    const chosen: unknown[] = [];
    for (; at < calls.length; at++) {
      const call = calls[at]!;
      if (call.id !== null && call.method !== 'subscription.stop') {
        if (typeof call.id === 'number' && !Number.isFinite(call.id)) {
          this.send(this.refusals.frame(null, call.jsonrpc, 'BAD_REQUEST', 'the request id must be a string or a finite number; this call was not run'));
          skipped = true;
          continue;
        }
        const key = JSON.stringify(call.id);
        if (this.inFlight.has(key) || this.streams.has(key)) {
          this.send(this.refusals.frame(call.id, call.jsonrpc, 'BAD_REQUEST', `request id ${key.slice(0, 64)} is in use by a call or subscription of this connection; this call was not run`));
          skipped = true;
          continue;
        }
        if (room === 0) break;
        room--;
        this.inFlight.set(key, call.method === 'subscription' ? 'subscription' : 'call');
      }
      chosen.push(raw[at]);
    }
    frame.next = at;
    if (chosen.length > 0) {
      if (frame.whole && from === 0 && at === calls.length && !skipped) this.deliver(frame.data, frame.isBinary);
      // A part of the frame (a lone call always goes whole, or not at all).
      else this.deliver(Buffer.from(JSON.stringify(chosen)), false);
    }
    return at === calls.length;
  }

  /**
   * Reads a frame's calls and answers the batch overflow; false when the frame went (or goes) to
   * the adapter as it is: connection params, or a frame the adapter refuses whole.
   */
  private unpack(frame: Waiting): boolean {
    const { data, isBinary } = frame;
    if (this.expectsParams) {
      this.expectsParams = false;
      this.deliver(data, isBinary);
      return false;
    }
    if (isBinary || !Buffer.isBuffer(data)) {
      this.deliver(data, isBinary);
      return false;
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch {
      this.deliver(data, isBinary);
      return false;
    }
    const list: unknown[] = Array.isArray(json) ? json : [json];
    if (list.length === 0) {
      this.send(EMPTY_BATCH);
      return false;
    }
    const calls: TRPCClientOutgoingMessage[] = [];
    try {
      // As the adapter reads them: one bad message and it refuses the frame whole, running none.
      for (const raw of list) calls.push(parseTRPCMessage(raw, this.options.router._def._config.transformer));
    } catch {
      this.deliver(data, isBinary);
      return false;
    }
    const { maxBatch } = this.options;
    frame.whole = true;
    if (calls.length > maxBatch) {
      const message = `at most ${maxBatch} calls per batch; this call was not run`;
      let refused = 0;
      for (let i = maxBatch; i < calls.length; i++) {
        const call = calls[i]!;
        if (call.id === null) continue;
        this.send(this.refusals.frame(typeof call.id === 'number' && !Number.isFinite(call.id) ? null : call.id, call.jsonrpc, 'TOO_MANY_REQUESTS', message));
        refused++;
      }
      this.options.onBatchLimit?.(refused);
      list.length = maxBatch;
      calls.length = maxBatch;
      frame.whole = false;
    }
    frame.raw = list;
    frame.calls = calls;
    frame.next = 0;
    return true;
  }

  /** An answer is going out: ends the call in flight it answers, or the subscription it stops. */
  private saw(frame: string): void {
    const answer = answerOf(frame);
    if (answer === null) return;
    const kind = this.inFlight.get(answer.key);
    if (kind !== undefined) {
      this.inFlight.delete(answer.key);
      if (kind === 'subscription' && answer.kind === 'started') this.streams.add(answer.key);
      if (this.waiting.length > 0) this.drainSoon();
    } else if (answer.kind === 'stopped' || answer.kind === 'error') this.streams.delete(answer.key);
  }

  /** Drains waiting frames on the next turn (never from inside the adapter's own send). */
  private drainSoon(): void {
    if (this.immediate !== null || this.closed) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.drain();
    });
  }

  private drain(): void {
    if (this.closed) return;
    for (let n = 0; n < SLICE && this.waiting.length > 0 && !this.blocked(); n++) {
      const frame = this.waiting[0]!;
      if (!this.handOver(frame)) break;
      this.waiting.shift();
      this.waitingBytes -= (Buffer.isBuffer(frame.data) ? frame.data.length : 0) + FRAME_OVERHEAD;
    }
    if (this.waiting.length > 0 && !this.blocked()) this.drainSoon();
    this.pace();
  }

  /** Reads the socket only while the budgets allow, the output is below the mark and nothing waits. */
  private pace(): void {
    if (this.closed) return;
    let wait = 0;
    for (const budget of this.budgets) wait = Math.max(wait, budget.waitMs());
    if (wait > 0 !== this.throttling) {
      this.throttling = wait > 0;
      if (this.throttling) this.options.onThrottled?.();
    }
    const congested = this.socket.bufferedAmount > this.options.highWaterMark;
    if (wait > 0 || congested || this.waiting.length > 0) {
      if (!this.socket.isPaused) this.socket.pause();
      // Calls in flight wake the socket when answered; the budget and the buffer are polled.
      if ((wait > 0 || congested) && this.timer === null) {
        this.timer = setTimeout(() => {
          this.timer = null;
          if (this.waiting.length > 0 && !this.blocked()) this.drain();
          else this.pace();
        }, Math.max(wait, POLL_MS));
      }
    } else if (this.socket.isPaused) this.socket.resume();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.heartbeat?.remove(this.socket);
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.waiting.length = 0;
    this.inFlight.clear();
    this.streams.clear();
  }
}
