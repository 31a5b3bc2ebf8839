import type { PerMessageDeflateOptions } from 'ws';

/**
 * permessage-deflate as the desk offers it when `DESK_WS_DEFLATE` is on (to clients that offer it
 * too). The desk's frames are small and alike, so what pays is the context kept from one message to
 * the next: an 8 KiB window (`serverMaxWindowBits: 13`) at level 3 compresses the state streams
 * about 4.7x (5.4x with deltas) for about 5x the server CPU per frame and ~190 KiB of zlib memory
 * per connection (docs/benchmarks.md); level 6 over 32 KiB gains a little more for more of both.
 * Frames under 64 bytes go as they are; 1 KiB zlib chunks and a 1 KiB client window keep the
 * per-connection buffers small (clients send little).
 */
export const wsDeflateOptions: PerMessageDeflateOptions = {
  threshold: 64,
  serverMaxWindowBits: 13,
  clientMaxWindowBits: 10,
  zlibDeflateOptions: { level: 3, memLevel: 7, chunkSize: 1024 },
  zlibInflateOptions: { chunkSize: 1024 },
  concurrencyLimit: 10,
};
