import { Writable } from 'node:stream';

// V8 decides how many fields a WritableState keeps inside the object from the first few made in
// the process (its slack tracking). When those are a burst of accepted sockets none of which has
// finished a write yet, the layout has no room for the write-callback slot Node adds with every
// stream's first completed write, and each socket's state and each `ws` receiver's then carry an
// extra property array (~64 B per connection, or not, depending on the order the first clients
// came in).
const SHAPED_STREAMS = 8;
let shaped = false;

/**
 * Makes the process's first writable streams finish a write each, so the WritableState layout V8
 * settles on has room for what every socket's state ends up holding. Once per process, before the
 * first sockets; a no-op after that (or when streams were made and written before).
 */
export function shapeWritableStreams(): void {
  if (shaped) return;
  shaped = true;
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  sink.write('');
  for (let i = 1; i < SHAPED_STREAMS; i++) new Writable();
  sink.destroy();
}
