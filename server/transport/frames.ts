/**
 * Frames of tRPC's WebSocket wire protocol, built as strings. Byte for byte what the stock adapter
 * sends (same keys, same order), so the stock client cannot tell them apart.
 */

export type RequestId = number | string;

/** `"jsonrpc":"2.0",` when the request carried it (the stock adapter echoes it), else nothing. */
function rpc(jsonrpc: unknown): string {
  return jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(jsonrpc)},`;
}

/**
 * The part of a subscription's data frames that never changes: made once per subscription, then
 * `dataFrame` splices an event id and a shared payload into it.
 */
export function dataFrameHead(id: RequestId, jsonrpc?: unknown): string {
  return `{"id":${JSON.stringify(id)},${rpc(jsonrpc)}"result":{"type":"data","data":{"id":`;
}

/** A data frame head as text (for `ws.send`) and as UTF-8 (for `writeTextFrame`), with the request id and `jsonrpc` it was made for. */
export interface FrameHead {
  readonly text: string;
  readonly bytes: Buffer;
  readonly requestId: RequestId;
  readonly jsonrpc: '2.0' | undefined;
}

/** Heads kept for sharing: request ids are small counters per client, so few heads cover most. */
const MAX_SHARED_HEADS = 1024;
const sharedHeads = new Map<string, FrameHead>();

/**
 * The one `FrameHead` for this request id and `jsonrpc`: every subscription with the same request id (most
 * clients number theirs 1, 2, 3 …) holds the same text and bytes instead of a copy of its own.
 * Past `MAX_SHARED_HEADS` distinct heads a new one is made per subscription, so a client choosing
 * odd ids cannot make the table grow.
 */
export function sharedHead(requestId: RequestId, jsonrpc?: '2.0'): FrameHead {
  const text = dataFrameHead(requestId, jsonrpc);
  const known = sharedHeads.get(text);
  if (known !== undefined) return known;
  const bytes = Buffer.from(text);
  // Decoded afresh, the text is one flat string; a template literal's result is a rope of its parts.
  const head: FrameHead = { text: bytes.toString('utf8'), bytes, requestId, jsonrpc };
  if (sharedHeads.size < MAX_SHARED_HEADS) sharedHeads.set(head.text, head);
  return head;
}

/**
 * `{"id":<req>,"result":{"type":"data","data":{"id":"<eid>","data":<payload>},"id":"<eid>"}}`:
 * one tracked message. `payload` is already JSON, serialized once and shared by every subscriber
 * that gets the same message.
 */
export function dataFrame(head: string, eventId: string, payload: string): string {
  return head + dataFrameTail(eventId, payload);
}

/**
 * What follows the head in a data frame: the same for every subscriber that gets the same message,
 * so it is built once and each subscriber only prepends its head.
 */
export function dataFrameTail(eventId: string, payload: string): string {
  const eid = JSON.stringify(eventId);
  return `${eid},"data":${payload}},"id":${eid}}}`;
}

/**
 * `{"id":<req>,"result":{"type":"data","data":<data>}}`: the answer to a query or mutation, as the
 * stock adapter sends it (without a transformer), built without the response object it copies.
 */
export function answerFrame(id: RequestId, jsonrpc: unknown, data: unknown): string {
  const json = JSON.stringify(data);
  // What JSON leaves out (undefined, a function) leaves out the key, as in the stock adapter's object.
  return `{"id":${JSON.stringify(id)},${rpc(jsonrpc)}"result":{"type":"data"${json === undefined ? '' : `,"data":${json}`}}}`;
}

/** `{"id":<req>,"result":{"type":"started"}}` (or `stopped`). */
export function stateFrame(id: RequestId, jsonrpc: unknown, type: 'started' | 'stopped'): string {
  return `{"id":${JSON.stringify(id)},${rpc(jsonrpc)}"result":{"type":"${type}"}}`;
}

/** The server's request to every client to reconnect (sent on shutdown). */
export const RECONNECT_FRAME = '{"id":null,"method":"reconnect"}';
