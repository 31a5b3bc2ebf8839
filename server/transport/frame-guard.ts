import type { RawData, WebSocket } from 'ws';

const EMPTY_BATCH = /^\s*\[\s*\]\s*$/;

/**
 * Answers the one malformed frame tRPC's adapter passes over in silence, an empty batch, with a
 * PARSE_ERROR in tRPC's own shape, so every bad frame gets a typed answer.
 */
export function guardFrames(socket: WebSocket): void {
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary || !Buffer.isBuffer(data) || data.length > 16) return;
    if (!EMPTY_BATCH.test(data.toString('utf8'))) return;
    socket.send(
      JSON.stringify({
        id: null,
        error: { message: 'empty batch', code: -32700, data: { code: 'PARSE_ERROR', httpStatus: 400 } },
      }),
    );
  });
}
