import type { Socket } from 'node:net';
import WebSocket, { type WebSocketServer } from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestServers } from './test-servers';
import { createTurnCorks } from './turn-cork';

const servers = createTestServers();
afterAll(() => servers.closeAll());

/** A server-side socket and a client receiving what it sends. */
async function pair() {
  let wss: WebSocketServer | undefined;
  const url = await servers.listen((server) => (wss = server));
  const accepted = new Promise<WebSocket>((resolve) => wss!.once('connection', resolve));
  const client = new WebSocket(url);
  const received: string[] = [];
  client.on('message', (data) => received.push(String(data)));
  await new Promise((resolve) => client.once('open', resolve));
  const socket = await accepted;
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  return { socket, tcp, client, received };
}

describe('turn corks', () => {
  it('hold the frames of one turn in one write, in order, released before the turn ends', async () => {
    const { socket, tcp, client, received } = await pair();
    const corks = createTurnCorks();
    const writes: number[] = [];
    const writev = (tcp as unknown as { _writev: (chunks: unknown[], cb: () => void) => void })._writev.bind(tcp);
    (tcp as unknown as { _writev: typeof writev })._writev = (chunks, cb) => {
      writes.push(chunks.length);
      writev(chunks, cb);
    };
    // As answers settle: one promise callback each, in the same turn.
    await Promise.all(
      ['one', 'two', 'three'].map((text) =>
        Promise.resolve().then(() => {
          corks.hold(socket);
          socket.send(text);
        }),
      ),
    );
    expect(tcp.writableCorked).toBe(1);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(tcp.writableCorked).toBe(0);
    // ws writes each frame as header and payload: six chunks, one write.
    expect(writes).toEqual([6]);
    await new Promise<void>((resolve) => {
      const check = () => (received.length === 3 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(received).toEqual(['one', 'two', 'three']);
    client.close();
  });

  it('releases a socket that closed meanwhile without throwing, and corks it afresh in the next turn', async () => {
    const { socket, tcp, client } = await pair();
    const corks = createTurnCorks();
    corks.hold(socket);
    corks.hold(socket);
    expect(tcp.writableCorked).toBe(1);
    tcp.destroy();
    await new Promise((resolve) => process.nextTick(resolve));
    expect(tcp.writableCorked).toBe(0);
    corks.hold(socket);
    expect(tcp.writableCorked).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(tcp.writableCorked).toBe(0);
    client.terminate();
  });
});
