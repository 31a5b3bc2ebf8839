import type { RequestId } from './frames';

/** A message of compact patches only, as `Subscriber.take` writes it: packed as its patches alone. */
const COMPACT_ONLY = '{"type":"changes","upserts":[],"removes":[],"compact":';

/** A subscription's next message as its event id and JSON (`FastSubscription.nextPayload`). */
export interface Payload {
  lastId: number;
  json: string;
}

/**
 * One flush's messages of a connection that asked for packed frames (`?frames=packed` on the
 * WebSocket URL), as one frame: a JSON array of triples `[requestId, idStep, message, ...]`, where
 * each message's event id is the previous one's on this connection plus `idStep` (the first from
 * 0), and a message of compact patches only (no upserts or removals) is its array of patches. The
 * client's `packedFrames` WebSocket turns each triple back into tRPC's data frame with
 * the same request id, event id and message, so tRPC's client tracks and resumes ids as ever;
 * a snapshot, `started`, `stopped` and every answer still go as tRPC's own frames. Event ids are
 * the hub's, integers well within 2^53, so the steps are exact.
 */
export class PackedFrames {
  private lastId = 0;
  private body = '';

  /** Adds one message; returns its bytes (for the bandwidth budget). */
  add(requestId: RequestId, payload: Payload): number {
    const { json } = payload;
    const message = json.startsWith(COMPACT_ONLY) ? json.slice(COMPACT_ONLY.length, -1) : json;
    const part = `${JSON.stringify(requestId)},${payload.lastId - this.lastId},${message}`;
    this.lastId = payload.lastId;
    this.body = this.body === '' ? part : `${this.body},${part}`;
    return Buffer.byteLength(part) + 1;
  }

  /** The frame of everything added since the last one, or null when nothing was. */
  take(): string | null {
    if (this.body === '') return null;
    const frame = `[${this.body}]`;
    this.body = '';
    return frame;
  }
}
