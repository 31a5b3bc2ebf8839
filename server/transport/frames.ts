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

/** `{"id":<req>,"result":{"type":"started"}}` (or `stopped`). */
export function stateFrame(id: RequestId, jsonrpc: unknown, type: 'started' | 'stopped'): string {
  return `{"id":${JSON.stringify(id)},${rpc(jsonrpc)}"result":{"type":"${type}"}}`;
}

/** The server's request to every client to reconnect (sent on shutdown). */
export const RECONNECT_FRAME = '{"id":null,"method":"reconnect"}';
