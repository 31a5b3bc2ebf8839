import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { jsonEncoder } from '@trpc/server/adapters/ws';
import { parseTRPCMessage, type TRPCClientOutgoingMessage } from '@trpc/server/rpc';
import type { AnyRouter } from '@trpc/server';

/** What one frame of requests holds: the calls to run, the calls past the batch limit, or why it is not a tRPC message. */
export type UnpackedFrame =
  | { ok: true; messages: TRPCClientOutgoingMessage[]; overflow: TRPCClientOutgoingMessage[] }
  | { ok: false; code: TRPC_ERROR_CODE_KEY; message: string };

/**
 * Parses a frame of tRPC requests (one message or a batch) as the stock adapter does, and splits a
 * batch at `maxBatch`: the calls past it are answered TOO_MANY_REQUESTS one by one, so a client
 * learns which calls did not run.
 */
export function unpackFrame(router: AnyRouter, data: string | Uint8Array, maxBatch: number): UnpackedFrame {
  let json: unknown;
  try {
    json = jsonEncoder.decode(data);
  } catch {
    return { ok: false, code: 'PARSE_ERROR', message: 'the frame is not JSON' };
  }
  const list: unknown[] = Array.isArray(json) ? json : [json];
  if (list.length === 0) return { ok: false, code: 'PARSE_ERROR', message: 'empty batch' };
  const messages: TRPCClientOutgoingMessage[] = [];
  try {
    for (const raw of list) messages.push(parseTRPCMessage(raw, router._def._config.transformer));
  } catch (cause) {
    return { ok: false, code: 'PARSE_ERROR', message: cause instanceof Error ? cause.message.slice(0, 200) : 'not a tRPC message' };
  }
  return messages.length > maxBatch
    ? { ok: true, messages: messages.slice(0, maxBatch), overflow: messages.slice(maxBatch) }
    : { ok: true, messages, overflow: [] };
}
