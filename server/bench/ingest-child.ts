/**
 * The ingest bench's helper process: `bare` runs the bare better-sqlite3 baseline (one ~300-byte
 * row per transaction, WAL, on a temp file); `floorStart`/`floorStop` run the least a server can do
 * for the same load (see `startFloor`); `load` sends mutations over raw `ws` sockets speaking
 * tRPC's protocol, `inFlight` outstanding per connection, and reports acknowledgements and their
 * latency. The runner pins one of these to the server's CPU (`bare`, the floors) and one to the
 * load CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket, { WebSocketServer } from 'ws';
import { announceReady, serveRequests } from './procs';
import { Histogram } from './stats';

/** The bare loop's row, and the floor's: ~300 bytes. */
const ROW = JSON.stringify({ title: 'x'.repeat(200), severity: 'info', body: 'y'.repeat(40) });

/** Transactions per second of a bare loop: one row of ~300 bytes per transaction, for `ms` or `max` rows. */
function bare(synchronous: 'normal' | 'full', ms: number, max: number) {
  const dir = mkdtempSync(join(tmpdir(), 'livedesk-bare-'));
  const db = new Database(join(dir, 'bare.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, topic TEXT, body TEXT, ts INTEGER)');
    const insert = db.prepare('INSERT INTO events (id, topic, body, ts) VALUES (?, ?, ?, ?)');
    const one = db.transaction((id: number) => insert.run(id, 'notifications', ROW, Date.now()));
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

/**
 * The floor of a durable mutation over a WebSocket, served to the same load as the desk: each
 * message parsed and answered in tRPC's shape over raw `ws` (a socket's answers of a turn corked
 * into one write), and with `durable` one ~300-byte row
 * per message written first, all of a turn's messages in one transaction (group commit with
 * nothing else: no procedure, validation, state, event log or audit). The desk's rate over it is
 * the share of a server's least work that the desk's own work leaves.
 */
let floor: { server: WebSocketServer; db: Database.Database | null; dir: string; cpu: NodeJS.CpuUsage; answered: number } | null = null;

async function startFloor(durable: boolean, synchronous: 'normal' | 'full') {
  const dir = mkdtempSync(join(tmpdir(), 'livedesk-floor-'));
  const db = durable ? new Database(join(dir, 'floor.db')) : null;
  const queue: Array<{ socket: WebSocket; id: number }> = [];
  let next = 0;
  const write: (items: typeof queue) => void = db
    ? (() => {
        db.pragma('journal_mode = WAL');
        db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
        db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, topic TEXT, body TEXT, ts INTEGER)');
        const insert = db.prepare('INSERT INTO events (id, topic, body, ts) VALUES (?, ?, ?, ?)');
        return db.transaction((items: typeof queue) => {
          for (let i = 0; i < items.length; i++) insert.run(++next, 'notifications', ROW, Date.now());
        });
      })()
    : (items) => void (next += items.length);
  const flush = () => {
    const items = queue.splice(0);
    write(items);
    let id = next - items.length;
    // A socket's answers of one turn go out in one write, as the desk's do.
    const corked = new Set<{ cork(): void; uncork(): void }>();
    for (const item of items) {
      const raw = (item.socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
      if (!corked.has(raw)) {
        raw.cork();
        corked.add(raw);
      }
      item.socket.send(`{"id":${item.id},"result":{"type":"data","data":{"eventId":"${++id}"}}}`);
    }
    for (const raw of corked) raw.uncork();
    floor!.answered += items.length;
  };
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  server.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id: number };
      if (queue.length === 0) setImmediate(flush);
      queue.push({ socket, id: message.id });
    });
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  floor = { server, db, dir, cpu: process.cpuUsage(), answered: 0 };
  return { url: `ws://127.0.0.1:${(server.address() as { port: number }).port}` };
}

async function stopFloor() {
  if (!floor) throw new Error('no floor server running');
  const { server, db, dir, cpu, answered } = floor;
  const used = process.cpuUsage(cpu);
  floor = null;
  for (const socket of server.clients) socket.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  db?.close();
  rmSync(dir, { recursive: true, force: true });
  return { answered, cpuUs: used.user + used.system };
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
  floorStart: (args) => startFloor(Boolean(args.durable), (args.synchronous as 'normal' | 'full' | undefined) ?? 'normal'),
  floorStop: () => stopFloor(),
  load: (args) => load(args as unknown as LoadArgs),
});
announceReady();
