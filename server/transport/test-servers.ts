import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * A gate that holds calls until released, counting how many wait at once: what the transports'
 * in-flight bounds are tested against. `open()` lets every waiting call and every later one through
 * until `close()`.
 */
export function createGate() {
  let release: () => void = () => undefined;
  let closed = new Promise<void>((resolve) => (release = resolve));
  const gate = {
    running: 0,
    mostRunning: 0,
    async hold<T>(value: T): Promise<T> {
      gate.running++;
      gate.mostRunning = Math.max(gate.mostRunning, gate.running);
      await closed;
      gate.running--;
      return value;
    },
    open(): void {
      release();
    },
    close(): void {
      closed = new Promise<void>((resolve) => (release = resolve));
    },
  };
  return gate;
}

/** HTTP + WebSocket servers on 127.0.0.1 for transport tests, all closed by `closeAll()`. */
export function createTestServers() {
  const servers: { server: Server; wss: WebSocketServer }[] = [];
  return {
    /** The newest server's WebSocketServer. */
    get last(): WebSocketServer {
      return servers.at(-1)!.wss;
    },
    /** Listens on a free port with a transport attached to its WebSocketServer; returns its ws:// URL. */
    async listen(attach: (wss: WebSocketServer) => void): Promise<string> {
      const server = createServer();
      const wss = new WebSocketServer({ server });
      attach(wss);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push({ server, wss });
      return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async closeAll(): Promise<void> {
      for (const { server, wss } of servers) {
        for (const socket of wss.clients) socket.terminate();
        await new Promise((resolve) => wss.close(resolve));
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}
