/**
 * One server under test, as its own process: the desk (`livedesk`) or a baseline (`ws`,
 * `socketio`). The runner commands it over IPC: publish ticks at a rate, report memory and CPU.
 * Run with `--expose-gc` so memory is read after a full collection.
 *
 * Cluster mode (`BENCH_CLUSTER_URL`, `BENCH_CLUSTER_PREFIX`): the desk joins a cluster on that
 * Redis and a tick becomes a `market.setPrice` command submitted through the app's executor (as the
 * simulator's ticks are), so it reaches subscribers only once Redis has logged it and this
 * instance, like every other one, has folded it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { startCoalescingWsBaseline, startSocketIoBaseline, startWsBaseline } from './baselines';
import { announceReady, serveRequests } from './procs';
import type { Injection, Target } from './protocol';
import { BENCH_SYMBOLS, makeTick, priceOf, symbolOf } from './tick';

const target = (process.argv[2] ?? 'livedesk') as Target;
const injection: Injection = process.env.BENCH_INJECT === 'one' ? 'one' : 'burst';
const replayCapacity = Number(process.env.BENCH_REPLAY_CAPACITY ?? 20_000);
const clusterUrl = process.env.BENCH_CLUSTER_URL;
const clusterPrefix = process.env.BENCH_CLUSTER_PREFIX ?? 'livedesk-bench';
// Retention phase: the desk on this database file, pre-filled with BENCH_PREFILL events.
const dbPath = process.env.BENCH_DB;
const prefill = Number(process.env.BENCH_PREFILL ?? 0);
const retainEvents = Number(process.env.BENCH_RETAIN_EVENTS ?? 1_000_000);
// Ingest phase: the journal's synchronous setting (normal or full).
const dbSync = process.env.BENCH_DB_SYNC === 'full' ? 'full' : 'normal';
// The fan-out with candles kept (the default) or not, for their cost on the tick path.
const candles = process.env.BENCH_CANDLES !== 'off';
// The fan-out with the portfolio's history kept (the default) or not, and with a position in every
// bench symbol, so that every tick moves the portfolio (`BENCH_HOLD=1`): what sampling it costs.
const equity = process.env.BENCH_EQUITY !== 'off';
const hold = process.env.BENCH_HOLD === '1';

interface Server {
  url: string;
  publish(seq: number): void;
  connections(): number;
  buffered(): number;
  custom?(count: number, type: string): string;
  lastEventId?(): string;
  journal?(): { rows: number; floor: string; prefillMs: number; pruning: { steps: number; rows: number; ms: number; maxMs: number } } | null;
}

async function start(): Promise<Server> {
  if (target !== 'livedesk') {
    const base = target === 'ws' ? await startWsBaseline() : target === 'ws-coalescing' ? await startCoalescingWsBaseline() : await startSocketIoBaseline();
    return { ...base, publish: (seq) => base.publish(makeTick(seq)) };
  }
  // Loaded only for the desk, so the baselines run whatever state the desk's code is in.
  const { startApp } = await import('../app');
  let prefillMs = 0;
  if (dbPath && prefill > 0) prefillMs = (await import('./prefill')).prefillJournal(dbPath, prefill).ms;
  const app = await startApp({
    port: 0,
    sim: { enabled: false },
    statsIntervalMs: 3_600_000,
    // Every load connection comes from 127.0.0.1.
    maxConnectionsPerIp: 1_000_000,
    desk: { hub: { replayCapacity }, market: { candles }, equity, ...(dbPath ? { journal: { path: dbPath, retainEvents, synchronous: dbSync } } : {}) },
    // The ingest measurement sends as fast as the desk acknowledges: every rate limit a caller's
    // mutations pass (per connection, per caller across its connections) is lifted, or it measures
    // the limit (the caller's 2,000/s with a 4,000 burst capped earlier runs at ~3,000/s).
    limits: dbPath
      ? {
          mutationsPerSecond: 1_000_000,
          mutationBurst: 1_000_000,
          requestsPerSecond: 1_000_000,
          requestBurst: 1_000_000,
          callerRequestsPerSecond: 1_000_000,
          callerRequestBurst: 1_000_000,
        }
      : undefined,
    cluster: clusterUrl ? { url: clusterUrl, prefix: clusterPrefix } : undefined,
  });
  if (hold) (await import('./equity')).holdPositions(app.desk, BENCH_SYMBOLS);
  // The tick's `ts` is the desk's clock when the command runs: the submit time in cluster mode.
  const publish = clusterUrl
    ? (seq: number) => app.commands.submit('market.setPrice', { symbol: symbolOf(seq), price: priceOf(seq), volume: seq })
    : injection === 'one'
      ? // A mutation as a client's would run (without the tRPC call): group commit, journal, audit.
        (seq: number) => void app.commands.execute('market.setPrice', { symbol: symbolOf(seq), price: priceOf(seq), volume: seq }).catch(() => {})
      : (seq: number) => void app.desk.market.setPrice({ symbol: symbolOf(seq), price: priceOf(seq), volume: seq });
  return {
    url: app.url.replace(/^http/, 'ws'),
    publish,
    connections: () => app.wss.clients.size,
    buffered: () => {
      let sum = 0;
      for (const client of app.wss.clients) sum += client.bufferedAmount;
      return sum;
    },
    custom(count, type) {
      for (let i = 0; i < count; i++) app.desk.activity.broadcastCustom({ type, data: i });
      return String(app.desk.hub.lastId);
    },
    lastEventId: () => String(app.desk.hub.lastId),
    journal: () => {
      const journal = app.desk.journal;
      if (!journal) return null;
      const { n } = journal.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
      return { rows: n, floor: String(journal.floor), prefillMs, pruning: { ...journal.pruning } };
    },
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

function memory() {
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

/**
 * Sends `count` ticks from `from` on, spread evenly at `rate` per second; resolves when all went.
 * `burst`: every tick due in a 1 ms step together; `one`: one tick per turn of the event loop.
 */
function publishPaced(server: Server, from: number, count: number, rate: number): Promise<{ elapsedMs: number }> {
  const started = performance.now();
  let sent = 0;
  if (injection === 'one') {
    return new Promise((resolve) => {
      const step = () => {
        const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
        if (sent < due) server.publish(from + sent++);
        if (sent >= count) return resolve({ elapsedMs: performance.now() - started });
        // Behind schedule: the next tick in the next turn; ahead: wait for its time.
        if (sent < due) setImmediate(step);
        else setTimeout(step, 1);
      };
      step();
    });
  }
  return new Promise((resolve) => {
    const step = () => {
      const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      while (sent < due) server.publish(from + sent++);
      if (sent < count) return;
      clearInterval(timer);
      resolve({ elapsedMs: performance.now() - started });
    };
    const timer = setInterval(step, 1);
    step();
  });
}

const server = await start();
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
serveRequests({
  /** The event loop's delay since the last call (p99 and max, ms): what a stall costs everyone. */
  loopDelay: () => {
    const figures = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    loopDelay.reset();
    return figures;
  },
  memory: () => {
    gc?.();
    gc?.();
    return memory();
  },
  /** Writes a heap snapshot to `file` (for `heap-inventory.ts`) and returns its path. */
  heapSnapshot: (args) => {
    const file = String(args.file);
    mkdirSync(dirname(file), { recursive: true });
    return writeHeapSnapshot(file);
  },
  sample: () => ({ ...memory(), buffered: server.buffered(), connections: server.connections() }),
  cpu: () => process.cpuUsage(),
  connections: () => server.connections(),
  lastEventId: () => server.lastEventId?.() ?? null,
  journal: () => server.journal?.() ?? null,
  publish: (args) => publishPaced(server, Number(args.from), Number(args.count), Number(args.rate)),
  custom: (args) => {
    if (!server.custom) throw new Error(`${target} has no log topics`);
    return { lastEventId: server.custom(Number(args.count), String(args.type)) };
  },
  // No graceful close: the load processes are killed anyway, and exiting writes a CPU profile.
  stop: () => {
    setImmediate(() => process.exit(0));
    return true;
  },
});
announceReady({ url: server.url, gc: Boolean(gc) });
