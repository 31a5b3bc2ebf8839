import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import type { Connection } from '../context';
import type { LimitCounters } from '../limits/counters';
import { requestUrl } from '../net/request-target';
import { shapeWritableStreams } from './stream-layout';

export interface UpgradeOptions {
  /** Options of the `WebSocketServer` the upgrade makes (it hands it the sockets: `noServer`, and the upgrade's socket class). */
  server: Omit<ServerOptions, 'noServer' | 'server' | 'port' | 'host' | 'path' | 'WebSocket'>;
  /** Browser origins allowed to open a WebSocket; a request without Origin (not a browser) is allowed. */
  isAllowedOrigin: (origin: string) => boolean;
  maxConnectionsPerIp: number;
  rejected: LimitCounters;
  /** The client's address (behind a trusted proxy, from `X-Forwarded-For`). @default the peer's */
  clientAddress?: (req: IncomingMessage) => string;
  onReject?: (reason: string, req: IncomingMessage) => void;
  /** The only path a WebSocket may be opened on. @default '/trpc' */
  path?: string;
  /**
   * Makes an accepted socket's connection record (the context factory's `socketRecord`, which
   * becomes the connection's context).
   */
  record: (id: string, ip: string, socket: WebSocket) => Connection;
}

/** What runs when any accepted socket closes (`code` as `ws` gives it) or fails. */
export type SocketCloseHook = (socket: WebSocket, code: number) => void;
export type SocketErrorHook = (socket: WebSocket, error: Error) => void;

/** Registers hooks run for every accepted socket, through the one close and one error listener it has. */
export interface SocketHooks {
  onClose(hook: SocketCloseHook): void;
  onError(hook: SocketErrorHook): void;
}

/**
 * Accepts or refuses WebSocket upgrades before any tRPC work: refuses malformed request targets and
 * `Host:` headers (400) and paths other than `/trpc` (404), browser origins that are not allowed
 * (cross-site WebSocket hijacking) and clients over the per-address connection limit, and gives
 * every accepted socket a connection record. What else must happen when a socket closes or fails
 * (the transport, presence, the log) registers a hook (`sockets`): every socket then has one error
 * listener of ours, not one per part (an emitter's list of five holds room for 19), and no close
 * listener at all: its class tells the upgrade of its close (`wss`, the server the upgrade makes,
 * makes its sockets of that class).
 */
export function createUpgradeHandler(options: UpgradeOptions) {
  const path = options.path ?? '/trpc';
  shapeWritableStreams();
  /**
   * Hears its own close: a close listener of ours beside the one `ws` adds for its client set
   * turned the socket's single listener into a list of two (~70 B per connection). The hooks run
   * after every listener, as ours did after `ws`'s.
   */
  class UpgradedSocket extends WebSocket {
    override emit(event: string | symbol, ...args: any[]): boolean {
      const heard = super.emit(event, ...args);
      if (event === 'close') closed(this, args[0] as number);
      return heard;
    }
  }
  const wss = new WebSocketServer({ ...options.server, noServer: true, WebSocket: UpgradedSocket });
  /** Open connections per client address, with the one copy of the address they all keep. */
  const perIp = new Map<string, { readonly ip: string; open: number }>();
  const connections = new WeakMap<WebSocket, Connection>();
  const closeHooks: SocketCloseHook[] = [];
  const errorHooks: SocketErrorHook[] = [];
  let ids = 0;
  /** Set by `accepted`: whether the handshake `handleUpgrade` just handed to `ws` was taken. */
  let taken = false;

  function refuse(socket: Duplex, status: number, reason: string) {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`);
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    socket.on('error', destroyOnError);
    // Both transports parse the URL again once the socket is open, where a throw would be uncaught.
    const url = requestUrl(req);
    if (url === null) {
      options.onReject?.('malformed request target or Host header', req);
      return refuse(socket, 400, 'Bad Request');
    }
    if (url.pathname !== path) {
      options.onReject?.(`no WebSocket endpoint at ${url.pathname}`, req);
      return refuse(socket, 404, 'Not Found');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !options.isAllowedOrigin(origin)) {
      options.rejected.origin++;
      options.onReject?.(`origin ${origin} not allowed`, req);
      return refuse(socket, 403, 'Forbidden origin');
    }
    const address = options.clientAddress?.(req) ?? req.socket.remoteAddress ?? 'unknown';
    let entry = perIp.get(address);
    if ((entry?.open ?? 0) >= options.maxConnectionsPerIp) {
      options.rejected.connectionsPerIp++;
      options.onReject?.(`more than ${options.maxConnectionsPerIp} connections from ${address}`, req);
      return refuse(socket, 429, 'Too many connections from this address');
    }
    if (entry === undefined) perIp.set(address, (entry = { ip: address, open: 0 }));
    entry.open++;
    forgetPeerAddress(req.socket);
    // Every connection from one address keeps the same string, not the copy each read makes.
    const ip = entry.ip;
    taken = false;
    wss.handleUpgrade(req, socket, head, (ws) => accepted(ws, req, ip));
    // `ws` answers a handshake it refuses (no or a malformed key, an unknown version, a socket
    // already half closed) without calling back, and with no `verifyClient` it calls back before
    // returning when it takes one: a refused one gives its slot back now, or every such request
    // would hold one of its address's for ever (and an address each, from many addresses).
    if (!taken) release(entry);
  }

  function release(entry: { readonly ip: string; open: number }) {
    if (--entry.open <= 0) perIp.delete(entry.ip);
  }

  // Kept apart from handleUpgrade so no listener closes over the request.
  function accepted(ws: WebSocket, req: IncomingMessage, ip: string) {
    taken = true;
    // From here `ws` answers errors on the TCP socket itself (and destroys it).
    req.socket.removeListener('error', destroyOnError);
    const id = `ws-${++ids}`;
    connections.set(ws, options.record(id, ip, ws));
    ws.on('error', failed);
    wss.emit('connection', ws, req);
  }

  function closed(ws: WebSocket, code: number) {
    const ip = connections.get(ws)?.ip;
    const entry = ip === undefined ? undefined : perIp.get(ip);
    if (entry !== undefined) release(entry);
    for (const hook of closeHooks) hook(ws, code);
  }

  function failed(this: WebSocket, error: Error) {
    for (const hook of errorHooks) hook(this, error);
    // Nobody asked to hear of it: the socket is of no more use.
    if (errorHooks.length === 0) this.terminate();
  }

  const sockets: SocketHooks = {
    onClose: (hook) => void closeHooks.push(hook),
    onError: (hook) => void errorHooks.push(hook),
  };

  return {
    /** The server accepted sockets are handed to (`'connection'`), with `ws`'s client set. */
    wss,
    handleUpgrade,
    sockets,
    connectionOf: (ws: WebSocket) => connections.get(ws),
    /** Client addresses with open connections (for tests and metrics). */
    addresses: () => perIp.size,
    /** Open connections from one client address, as the per-address limit counts them. */
    openFrom: (address: string) => perIp.get(address)?.open ?? 0,
  };
}

/**
 * Drops the peer address Node keeps on a socket once it has been read (`remoteAddress`: an object
 * and a string, ~80 B per connection, for as long as the socket is open): the connection record
 * keeps the client's address, and a later read asks the socket again (as Node's own reconnect
 * does, by the same field).
 */
function forgetPeerAddress(socket: Socket): void {
  const cached = socket as Socket & { _peername?: unknown };
  if (cached._peername) cached._peername = null;
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** The origin check: exact matches from the list, plus the server's own origin. */
export function originChecker(allowed: readonly string[]) {
  const set = new Set(allowed.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  return (origin: string) => set.has(origin.toLowerCase());
}
