/**
 * Hostile clients for the flood phase, as their own process (so their own work does not sit in
 * the measuring process's event loop): raw `ws` sockets speaking tRPC's wire protocol as fast as
 * their own send buffer lets them. Commanded over IPC by `flood.ts`: `start` a set of floods,
 * `stop` them all. Only 127.0.0.1; each flood ends when stopped or when the parent goes.
 *
 * - `mutations`: an operator sending batches of `feeds.broadcastCustom` (and reading the answers);
 * - `junk`: a viewer sending frames that are not tRPC messages;
 * - `anon`: no token, batches of queries, subscriptions and mutations (all refused);
 * - `deaf`: a viewer that never reads and sends batches of `market.prices` queries, each answer
 *   about twenty times the size of its request;
 * - `burn`: no client at all, half a core of busy work: what the machine alone does to latency
 *   when one more process competes for it (the floods' own processes do too).
 */
import WebSocket from 'ws';
import { announceReady, serveRequests } from './procs';

export type FloodKind = 'mutations' | 'junk' | 'anon' | 'deaf' | 'burn';

export interface FloodSpec {
  kind: FloodKind;
  /** ws://127.0.0.1:<port>/trpc */
  url: string;
  token?: string;
}

/** Bytes a flooder lets its own socket buffer before it waits. */
const OWN_BUFFER = 1024 * 1024;
const live = new Set<WebSocket>();
let stopped = false;
let sent = 0;

function frameFor(kind: FloodKind, seq: number): string {
  let id = seq * 1000;
  const call = (method: string, path: string, input?: unknown) => ({ id: ++id, method, params: { path, input } });
  switch (kind) {
    case 'mutations':
      return JSON.stringify(Array.from({ length: 50 }, (_, i) => call('mutation', 'feeds.broadcastCustom', { type: 'flood', data: seq * 50 + i })));
    case 'junk':
      return `{"not a tRPC message":${seq}`;
    case 'anon':
      return JSON.stringify([
        call('query', 'system.health'),
        call('subscription', 'market.onPrices', {}),
        call('mutation', 'market.setPrice', { symbol: 'AAPL', price: 1 }),
        call('query', 'market.prices'),
      ]);
    case 'deaf':
    case 'burn':
      // ~60 KB, under the default frame limit.
      return JSON.stringify(Array.from({ length: 900 }, () => call('query', 'market.prices')));
  }
}

/** Busy 5 ms, idle 5 ms, until stopped. */
function burn(): void {
  if (stopped) return;
  const until = performance.now() + 5;
  while (performance.now() < until) sent++;
  setTimeout(burn, 5);
}

function flood(spec: FloodSpec): Promise<void> {
  if (spec.kind === 'burn') return Promise.resolve(burn());
  return new Promise((resolve, reject) => {
    const url = spec.token ? `${spec.url}?connectionParams=1` : spec.url;
    const socket = new WebSocket(url);
    live.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => live.delete(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`${spec.kind}: upgrade refused with ${res.statusCode}`)));
    socket.once('open', () => {
      if (spec.token) socket.send(JSON.stringify({ method: 'connectionParams', data: { token: spec.token } }));
      if (spec.kind === 'deaf') socket.pause();
      let seq = 0;
      const pump = () => {
        if (stopped || socket.readyState !== WebSocket.OPEN) return;
        // Only what the own buffer allows: the server's reading pace is what holds a flood back.
        for (let i = 0; i < 200 && socket.bufferedAmount < OWN_BUFFER; i++) {
          socket.send(frameFor(spec.kind, seq++));
          sent++;
        }
        if (socket.bufferedAmount < OWN_BUFFER) setImmediate(pump);
        else setTimeout(pump, 2);
      };
      pump();
      resolve();
    });
  });
}

serveRequests({
  async start(args) {
    stopped = false;
    sent = 0;
    await Promise.all((args.floods as FloodSpec[]).map(flood));
    return { sockets: live.size };
  },
  stop() {
    stopped = true;
    for (const socket of live) socket.terminate();
    live.clear();
    return { sent };
  },
});
announceReady();
