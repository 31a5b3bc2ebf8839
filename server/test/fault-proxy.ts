import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with traffic: `pass` both ways; `drop-replies` passes requests and throws the
 * replies away (the server did the work, the client never hears); `blackhole` throws both away
 * (nothing reaches the server); `delay` passes both ways `delayMs` late.
 */
export type FaultMode = 'pass' | 'drop-replies' | 'blackhole' | 'delay';

/**
 * A fault-injecting TCP proxy on 127.0.0.1 in front of a server (Redis in the tests): real sockets,
 * a mode that can change while connections are open, and `reset()` that cuts every open connection
 * with a TCP reset, as a failing network or a dying peer does.
 */
export async function startFaultProxy(targetPort: number, targetHost = '127.0.0.1') {
  let mode: FaultMode = 'pass';
  let delayMs = 0;
  const open = new Set<Socket>();

  const forward = (to: Socket, isReply: boolean) => (chunk: Buffer) => {
    if (mode === 'blackhole' || (isReply && mode === 'drop-replies')) return;
    if (mode === 'delay') setTimeout(() => to.destroyed || to.write(chunk), delayMs);
    else if (!to.destroyed) to.write(chunk);
  };

  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on('error', () => socket.destroy());
    }
    client.on('data', forward(upstream, false));
    upstream.on('data', forward(client, true));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get connections() {
      return open.size / 2;
    },
    set(next: FaultMode, nextDelayMs = 0): void {
      mode = next;
      delayMs = nextDelayMs;
    },
    /** Cuts every open connection with a reset (new ones are accepted). */
    reset(): void {
      for (const socket of open) socket.resetAndDestroy();
    },
    async close(): Promise<void> {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;
