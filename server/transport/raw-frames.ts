import type { WebSocket } from 'ws';

/** The TCP socket under a `ws` WebSocket, as far as writing frames to it goes. */
export interface FrameSocket {
  write(chunk: Buffer): boolean;
}

/** The `ws` internals this module reads: the TCP socket, and whether its sender is idle and uncompressed. */
interface WsInternals {
  _socket?: FrameSocket;
  _sender?: { _state: number; _extensions: Record<string, unknown> };
}

/** `ws`'s Sender state when it is neither compressing nor queueing frames. */
const SENDER_IDLE = 0;

/**
 * The TCP socket to write a server-to-client text frame to directly, or null when only
 * `socket.send` may: a socket with permessage-deflate, or whose sender is queueing behind a
 * compression (a frame written beside the queue would overtake it). Without either, `ws`'s own
 * `send` does what `writeTextFrame` does, a header and the payload written to this socket, only
 * for a string: it encodes the whole frame for every connection, where the desk encodes a shared
 * payload once, and it writes header and payload as two chunks (cork, writev), where one chunk is
 * one `write`.
 */
export function frameSocketOf(socket: WebSocket): FrameSocket | null {
  const internals = socket as unknown as WsInternals;
  const sender = internals._sender;
  if (internals._socket === undefined || sender === undefined || sender._state !== SENDER_IDLE) return null;
  for (const _ in sender._extensions) return null;
  return internals._socket;
}

/**
 * Writes one final, unmasked text frame (RFC 6455 §5.2) whose payload is `head` then `tail`, as
 * one chunk; returns the payload's size in bytes (the frame's less its 2-10 bytes of header). Byte
 * for byte what `ws` sends for the same text.
 */
export function writeTextFrame(socket: FrameSocket, head: Uint8Array, tail: Uint8Array): number {
  const length = head.length + tail.length;
  const frame = frameOf(length);
  const prefix = frame.length - length;
  frame.set(head, prefix);
  frame.set(tail, prefix + head.length);
  socket.write(frame);
  return length;
}

/** Writes `text` as one final, unmasked text frame, as one chunk; returns its size in bytes. */
export function writeText(socket: FrameSocket, text: string): number {
  const length = Buffer.byteLength(text);
  const frame = frameOf(length);
  frame.write(text, frame.length - length, 'utf8');
  socket.write(frame);
  return length;
}

/** A frame of a `length`-byte text payload: its header written, the payload left to fill. */
function frameOf(length: number): Buffer {
  const prefix = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(prefix + length);
  frame[0] = 0x81; // FIN, text
  if (prefix === 2) frame[1] = length;
  else if (prefix === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length % 2 ** 32, 6);
  }
  return frame;
}
