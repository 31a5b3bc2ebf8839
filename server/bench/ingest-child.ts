/**
 * The ingest bench's helper process: `bare` runs the bare better-sqlite3 baseline (one ~300-byte
 * row per transaction, WAL, on a temp file); `load` sends mutations over raw `ws` sockets speaking
 * tRPC's protocol, `inFlight` outstanding per connection, and reports acknowledgements and their
 * latency. The runner pins one of these to the server's CPU (`bare`) and one to the load CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { announceReady, serveRequests } from './procs';
import { Histogram } from './stats';

/** Transactions per second of a bare loop: one row of ~300 bytes per transaction, for `ms` or `max` rows. */
function bare(synchronous: 'normal' | 'full', ms: number, max: number) {
  const dir = mkdtempSync(join(tmpdir(), 'livedesk-bare-'));
  const db = new Database(join(dir, 'bare.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, topic TEXT, body TEXT, ts INTEGER)');
    const insert = db.prepare('INSERT INTO events (id, topic, body, ts) VALUES (?, ?, ?, ?)');
    const body = JSON.stringify({ title: 'x'.repeat(200), severity: 'info', body: 'y'.repeat(40) });
    const one = db.transaction((id: number) => insert.run(id, 'notifications', body, Date.now()));
    const cpu = process.cpuUsage();
    const started = performance.now();
    let n = 0;
    while (n < max && performance.now() - started < ms) one(++n);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { perSec: n / seconds, count: n, cpuUsPerTx: (used.user + used.system) / n };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoadArgs {
  url: string;
  connections: number;
  inFlight: number;
  ms: number;
  max: number;
  path: string;
  /** The mutation input of call `i`. */
  kind: 'trade' | 'notification' | 'price';
}

function inputOf(kind: LoadArgs['kind'], i: number) {
  if (kind === 'price') return { symbol: 'ING', price: 100 };
  return kind === 'trade'
    ? { symbol: 'ING', side: i % 2 ? 'sell' : 'buy', qty: 1 + (i % 3) }
    : { title: `bench ${i}`, body: 'ingest', severity: 'info' };
}

/** Opens the connections, then sends mutations with `inFlight` outstanding on each until `ms` or `max` acknowledged. */
async function load(args: LoadArgs) {
  const sockets = await Promise.all(
    Array.from({ length: args.connections }, () => {
      const socket = new WebSocket(`${args.url}/trpc`, { perMessageDeflate: false });
      return new Promise<WebSocket>((resolve, reject) => {
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    }),
  );
  const latency = new Histogram();
  let acked = 0;
  let failed = 0;
  let sent = 0;
  const errors: string[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + args.ms;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  let outstanding = 0;
  for (const socket of sockets) {
    const sentAt = new Map<number, number>();
    let nextId = 1;
    const send = () => {
      if (performance.now() >= deadline || sent >= args.max) return;
      const id = nextId++;
      sentAt.set(id, performance.now());
      outstanding++;
      socket.send(JSON.stringify({ id, method: 'mutation', params: { path: args.path, input: inputOf(args.kind, sent++) } }));
    };
    socket.on('message', (data: Buffer) => {
      if (data.length === 4 && data.toString() === 'PING') return void socket.send('PONG');
      const reply = JSON.parse(data.toString()) as { id: number; result?: unknown; error?: { message: string } };
      const at = sentAt.get(reply.id);
      if (at === undefined) return;
      sentAt.delete(reply.id);
      outstanding--;
      if (reply.error) {
        failed++;
        if (errors.length < 3) errors.push(reply.error.message);
      } else {
        acked++;
        latency.add(performance.now() - at);
      }
      send();
      if (outstanding === 0) finish();
    });
    for (let i = 0; i < args.inFlight; i++) send();
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  for (const socket of sockets) socket.terminate();
  return { acked, failed, errors, seconds, clientCpuUs: acked > 0 ? (used.user + used.system) / acked : Number.NaN, perSec: acked / seconds, p50: latency.percentile(50), p99: latency.percentile(99), max: latency.max };
}

serveRequests({
  bare: (args) => bare(args.synchronous as 'normal' | 'full', Number(args.ms), Number(args.max)),
  load: (args) => load(args as unknown as LoadArgs),
});
announceReady();
