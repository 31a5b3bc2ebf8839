/**
 * Load clients, as their own process: many connections speaking one target's protocol over bare
 * `ws` sockets. Counts the ticks of the current phase (a range of sequence numbers), per
 * connection in order, with a latency histogram.
 */
import type WebSocket from 'ws';
import { announceReady, serveRequests } from './procs';
import { connect, type Target } from './protocol';
import { Histogram } from './stats';

let phase = { from: 0, to: 0 };
let received = 0;
let disorder = 0;
let frames = 0;
let bytes = 0;
let closed = 0;
let latency = new Histogram();
/** Per group of connections (the server instance they went to, in cluster runs): ticks and latency. */
let groups = new Map<number, { received: number; latency: Histogram }>();
const sockets: WebSocket[] = [];

function groupOf(id: number) {
  let group = groups.get(id);
  if (!group) groups.set(id, (group = { received: 0, latency: new Histogram() }));
  return group;
}

function openOne(target: Target, url: string, group: number, localAddress: string | undefined): Promise<WebSocket> {
  let lastSeq = -1;
  return connect(target, url, {
    onTick(seq, ts) {
      if (seq < phase.from || seq >= phase.to) return;
      if (seq <= lastSeq) disorder++;
      lastSeq = seq;
      received++;
      const ms = Date.now() - ts;
      latency.add(ms);
      const g = groupOf(group);
      g.received++;
      g.latency.add(ms);
    },
    onFrame: (data) => {
      frames++;
      bytes += data.length;
    },
    onClose: () => void closed++,
  }, { localAddress });
}

async function connectMany(target: Target, url: string, count: number, concurrency: number, group: number, localAddress: string | undefined) {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const errors = new Set<string>();
  async function worker() {
    while (next < count) {
      next++;
      try {
        sockets.push(await openOne(target, url, group, localAddress));
      } catch (error) {
        failed++;
        errors.add(error instanceof Error ? error.message : String(error));
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { connected: count - failed, failed, ms: performance.now() - started, errors: [...errors].slice(0, 3) };
}

serveRequests({
  connect: (args) =>
    connectMany(
      args.target as Target,
      String(args.url),
      Number(args.count),
      Number(args.concurrency ?? 200),
      Number(args.group ?? 0),
      typeof args.localAddress === 'string' ? args.localAddress : undefined,
    ),
  phase: (args) => {
    phase = { from: Number(args.from), to: Number(args.to) };
    received = 0;
    disorder = 0;
    frames = 0;
    bytes = 0;
    latency = new Histogram();
    groups = new Map();
    return true;
  },
  report: () => ({
    received,
    disorder,
    frames,
    bytes,
    closed,
    latency: latency.toPairs(),
    groups: [...groups].map(([id, g]) => ({ id, received: g.received, latency: g.latency.toPairs() })),
    cpu: process.cpuUsage(),
  }),
  pause: (args) => {
    for (const socket of sockets) (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    setTimeout(() => {
      for (const socket of sockets) (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    }, Number(args.ms)).unref();
    return true;
  },
  close: () => {
    for (const socket of sockets) socket.terminate();
    sockets.length = 0;
    return true;
  },
});
announceReady();
