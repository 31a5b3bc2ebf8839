/**
 * Durable ingest: acknowledged mutations per second into the desk on a temp database (a real
 * server process, raw `ws` clients speaking tRPC's protocol from another process), beside a bare
 * better-sqlite3 loop on the same disk (one ~300-byte row per transaction), with synchronous
 * NORMAL and FULL, as ratios of the same run. Run alone: `npm run bench:ingest` (`-- --profile`
 * for CPU profiles; BENCH_INGEST_SECONDS, BENCH_INGEST_ONLY=normal-market.executeTrade-8,…).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fleet, CLIENT_CPU, SERVER_CPU } from './fleet';
import { spawnChild } from './procs';

export interface IngestRun {
  synchronous: 'normal' | 'full';
  path: string;
  connections: number;
  inFlight: number;
  acked: number;
  failed: number;
  perSec: number;
  p50: number;
  p99: number;
  /** Server CPU (user + system) per acknowledged mutation. */
  serverCpuUs: number;
  /** The load process's CPU per acknowledged mutation (it must not be what limits the rate). */
  clientCpuUs: number;
  /** The server's CPU over the run's time: near 1, the server's CPU is the limit (on a shared machine, less than a core may be all it gets). */
  serverCoreShare: number;
  /** Acknowledged/s over the bare loop's transactions/s with the same synchronous setting. */
  ofBare: number;
}

/** A floor server (see `startFloor` in ingest-child.ts) under the load of an 8-connection run. */
export interface FloorRun {
  perSec: number;
  p99: number;
  /** Its CPU per answered message. */
  serverCpuUs: number;
}

export interface IngestResult {
  loadavg: number[];
  bare: Record<'normal' | 'full', { perSec: number; cpuUsPerTx: number }>;
  /** Raw `ws` answering each message, and answering after one row per message (NORMAL, a transaction per turn). */
  floor?: { answer: FloorRun; durable: FloorRun };
  runs: IngestRun[];
}

export interface IngestOptions {
  /** Seconds per run. @default 3 */
  seconds?: number;
  /** Mutations outstanding per connection. @default 4 */
  inFlight?: number;
  /** CPU profiles of the desk into this directory (one per run). */
  profileDir?: string;
  onRun?: (line: string) => void;
  /** Only the runs named so (`normal-market.executeTrade-8`, …); all when empty. */
  only?: string[];
}

const CASES: Array<{ synchronous: 'normal' | 'full'; path: string; kind: 'trade' | 'notification'; connections: number }> = [
  { synchronous: 'normal', path: 'market.executeTrade', kind: 'trade', connections: 1 },
  { synchronous: 'normal', path: 'market.executeTrade', kind: 'trade', connections: 8 },
  { synchronous: 'normal', path: 'feeds.pushNotification', kind: 'notification', connections: 8 },
  { synchronous: 'full', path: 'market.executeTrade', kind: 'trade', connections: 1 },
  { synchronous: 'full', path: 'market.executeTrade', kind: 'trade', connections: 8 },
];

export async function measureIngest(options: IngestOptions = {}): Promise<IngestResult> {
  const seconds = options.seconds ?? 3;
  const inFlight = options.inFlight ?? 4;
  const say = options.onRun ?? (() => {});
  const result: IngestResult = { loadavg: loadavg(), bare: { normal: { perSec: 0, cpuUsPerTx: 0 }, full: { perSec: 0, cpuUsPerTx: 0 } }, runs: [] };
  // The bare loop runs where the desk runs: the server's CPU.
  const bare = spawnChild('bare-sqlite', './ingest-child.ts', [], { cpu: SERVER_CPU });
  const load = spawnChild('ingest-load', './ingest-child.ts', [], { cpu: CLIENT_CPU });
  try {
    await Promise.all([bare.ready, load.ready]);
    for (const synchronous of ['normal', 'full'] as const) {
      result.bare[synchronous] = await bare.request('bare', { synchronous, ms: seconds * 1000, max: 500_000 }, 60_000);
      say(`bare better-sqlite3, synchronous ${synchronous}: ${Math.round(result.bare[synchronous].perSec)} transactions/s, ${result.bare[synchronous].cpuUsPerTx.toFixed(1)} µs CPU each`);
    }
    const floor = async (durable: boolean): Promise<FloorRun> => {
      const { url } = await bare.request<{ url: string }>('floorStart', { durable, synchronous: 'normal' });
      const run = await load.request<{ perSec: number; p99: number; acked: number }>(
        'load',
        { url, connections: 8, inFlight, ms: seconds * 1000, max: 2_000_000, path: 'market.executeTrade', kind: 'trade' },
        seconds * 1000 + 60_000,
      );
      const used = await bare.request<{ answered: number; cpuUs: number }>('floorStop', {});
      return { perSec: run.perSec, p99: run.p99, serverCpuUs: used.cpuUs / Math.max(1, used.answered) };
    };
    result.floor = { answer: await floor(false), durable: await floor(true) };
    say(
      `floor, 8 connections × ${inFlight} in flight: raw ws answering each message ${Math.round(result.floor.answer.perSec)}/s (${result.floor.answer.serverCpuUs.toFixed(1)} µs each); ` +
        `with one ~300-byte row each, a transaction per turn, NORMAL: ${Math.round(result.floor.durable.perSec)}/s (${result.floor.durable.serverCpuUs.toFixed(1)} µs each)`,
    );
    for (const c of CASES.filter((c) => !options.only?.length || options.only.includes(`${c.synchronous}-${c.path}-${c.connections}`))) {
      const dir = mkdtempSync(join(tmpdir(), 'livedesk-ingest-'));
      const fleet = await Fleet.start('livedesk', 0, {
        env: { BENCH_DB: join(dir, 'desk.db'), BENCH_DB_SYNC: c.synchronous },
        serverFlags: options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}/${c.synchronous}-${c.path}-${c.connections}`] : [],
      });
      try {
        if (c.kind === 'trade') {
          await load.request('load', { url: fleet.url, connections: 1, inFlight: 1, ms: 5000, max: 1, path: 'market.setPrice', kind: 'price' }, 20_000);
        }
        const cpuBefore = await fleet.server.request<NodeJS.CpuUsage>('cpu');
        const run = await load.request<{ acked: number; failed: number; errors: string[]; perSec: number; p50: number; p99: number; seconds: number; clientCpuUs: number }>(
          'load',
          { url: fleet.url, connections: c.connections, inFlight, ms: seconds * 1000, max: 2_000_000, path: c.path, kind: c.kind },
          seconds * 1000 + 60_000,
        );
        const cpuAfter = await fleet.server.request<NodeJS.CpuUsage>('cpu');
        const cpuUs = cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system;
        const entry: IngestRun = {
          synchronous: c.synchronous,
          path: c.path,
          connections: c.connections,
          inFlight,
          acked: run.acked,
          failed: run.failed,
          perSec: run.perSec,
          p50: run.p50,
          p99: run.p99,
          serverCpuUs: run.acked > 0 ? cpuUs / run.acked : Number.NaN,
          clientCpuUs: run.clientCpuUs,
          serverCoreShare: cpuUs / (run.seconds * 1e6),
          ofBare: run.perSec / result.bare[c.synchronous].perSec,
        };
        result.runs.push(entry);
        say(
          `ingest ${c.path}, ${c.connections} connection(s) × ${inFlight} in flight, synchronous ${c.synchronous}: ${Math.round(entry.perSec)}/s acknowledged (${entry.ofBare.toFixed(2)}x bare), p50/p99 ${entry.p50}/${entry.p99} ms, ${entry.serverCpuUs.toFixed(0)} µs server CPU each (${Math.round(entry.serverCoreShare * 100)} % of a core), load ${entry.clientCpuUs.toFixed(0)} µs each (${Math.round((entry.clientCpuUs * entry.perSec) / 1e4)} %)${run.failed ? `, ${run.failed} failed: ${run.errors.join('; ')}` : ''}`,
        );
      } finally {
        await fleet.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    bare.kill();
    load.kill();
  }
  return result;
}

/** The ingest figures as a table, with the load average they were taken at. */
export function printIngestTable(result: IngestResult): void {
  const { bare } = result;
  console.log(`\nDurable ingest (load average ${result.loadavg.map((l) => l.toFixed(2)).join(' ')} when it began; ratios are of the same run)`);
  console.log(`  bare better-sqlite3, one ~300-byte row per transaction: NORMAL ${Math.round(bare.normal.perSec)}/s, FULL ${Math.round(bare.full.perSec)}/s`);
  if (result.floor) {
    const { answer, durable } = result.floor;
    console.log(`  floor from 8 connections (raw ws, tRPC's answer shape): answering each message ${Math.round(answer.perSec)}/s at ${answer.serverCpuUs.toFixed(1)} µs; after one ~300-byte row each, a transaction per turn, NORMAL ${Math.round(durable.perSec)}/s at ${durable.serverCpuUs.toFixed(1)} µs`);
  }
  console.log('  mutation                 sync    conns  acked/s   x bare  p50/p99 ms  server µs each  server core  load µs each');
  for (const r of result.runs) {
    console.log(
      `  ${r.path.padEnd(24)} ${r.synchronous.padEnd(7)} ${String(r.connections).padStart(5)}  ${String(Math.round(r.perSec)).padStart(7)}  ${r.ofBare.toFixed(2).padStart(7)}  ${`${r.p50}/${r.p99}`.padStart(10)}  ${r.serverCpuUs.toFixed(0).padStart(14)}  ${`${Math.round(r.serverCoreShare * 100)} %`.padStart(11)}  ${r.clientCpuUs.toFixed(0).padStart(12)}`,
    );
  }
  console.log(`  (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const profileAt = process.argv.indexOf('--profile');
  const result = await measureIngest({
    seconds: Number(process.env.BENCH_INGEST_SECONDS ?? 3),
    inFlight: process.env.BENCH_INGEST_IN_FLIGHT ? Number(process.env.BENCH_INGEST_IN_FLIGHT) : undefined,
    profileDir: profileAt === -1 ? undefined : join(process.cwd(), 'artifacts/profiles/ingest'),
    onRun: (line) => console.log(line),
    only: process.env.BENCH_INGEST_ONLY?.split(',').filter(Boolean),
  });
  printIngestTable(result);
  process.exit(0);
}
