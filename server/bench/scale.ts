/**
 * Many subscribed connections on one server process, the desk beside raw `ws` at the same N in the
 * same run: every connection receives every tick at a low rate (1 tick/s), and the bench reports
 * p50 / p99, lost ticks, heap and RSS per connection. The server gets an open-file limit above N
 * (one descriptor per connection) set by the shell that starts it; the load is spread over several
 * processes, each connecting from its own 127.0.0.x so no source address runs out of ports.
 */
import { loadavg } from 'node:os';
import { latencyPhase } from './fanout';
import { Fleet, sleep } from './fleet';
import { foreignCpu } from './machine';
import { fdLimit } from './procs';
import type { Target } from './protocol';

export interface ScaleOptions {
  /** Subscribed connections wanted. @default 50000 */
  n: number;
  /** @default ['livedesk', 'ws'] */
  targets: Target[];
  /** Ticks per second to every connection. @default 1 */
  rate: number;
  /** Seconds of ticks. @default 10 */
  seconds: number;
  /** Connections per load process. @default 5000 */
  perProcess: number;
  onLine?: (line: string) => void;
}

/** Descriptors the server keeps for itself beyond its connections (listener, stdio, IPC, epoll, SQLite). */
const RESERVED_FDS = 256;

export interface ScaleRun {
  target: Target;
  connected: number;
  failed: number;
  connectErrors: string[];
  connectMs: number;
  heapPerConnKB: number;
  rssPerConnKB: number;
  /** Server heap and RSS with every connection open, after GC. */
  heapMB: number;
  rssMB: number;
  latency: { ticks: number; p50: number; p99: number; max: number; lost: number; late: number; disorder: number; serverCpuUsPerDelivery: number };
  foreignCpuPct: number;
  loadavg: number[];
}

export interface ScaleResult {
  /** N asked for, and the N measured (lower when the open-file limit could not be raised far enough). */
  requested: number;
  n: number;
  fd: { wanted: number; limit: number; raised: boolean; hard: number };
  loadProcesses: number;
  rate: number;
  seconds: number;
  runs: ScaleRun[];
}

/** Runs each target in turn at the same N (the largest the open-file limit allows, up to `n`). */
export async function measureScale(options: ScaleOptions): Promise<ScaleResult> {
  const wanted = options.n + RESERVED_FDS;
  const fd = { wanted, ...fdLimit(wanted) };
  // Whole thousands, so the N printed reads as chosen.
  const n = fd.raised ? options.n : Math.max(1000, Math.floor((fd.limit - RESERVED_FDS) / 1000) * 1000);
  if (!fd.raised) {
    options.onLine?.(
      `scale: the open-file limit cannot be raised to ${wanted} (hard limit ${fd.hard}; raising it needs CAP_SYS_RESOURCE), so N = ${n} instead of ${options.n}`,
    );
  }
  const loadProcesses = Math.max(1, Math.ceil(n / options.perProcess));
  const runs: ScaleRun[] = [];
  for (const target of options.targets) {
    const fleet = await Fleet.start(target, loadProcesses, { serverNofile: Math.min(fd.limit, wanted), spreadSources: true });
    try {
      const others = foreignCpu();
      const ownBefore = (await fleet.serverCpuUs()) + (await fleet.totals()).clientCpuUs;
      type Memory = { heapUsed: number; rss: number };
      const before = await fleet.server.request<Memory>('memory');
      // About 400 handshakes in flight over all load processes: more only overflows the accept queue.
      const conn = await fleet.connect(n, 300_000, Math.max(20, Math.ceil(400 / loadProcesses)));
      await sleep(1000);
      const after = await fleet.server.request<Memory>('memory', {}, 60_000);
      const phase = await latencyPhase(fleet, conn.connected, { latencyRate: options.rate, latencySeconds: options.seconds, lateMs: 5000 });
      const ownCpuUs = (await fleet.serverCpuUs()) + (await fleet.totals()).clientCpuUs - ownBefore;
      const per = (bytes: number) => bytes / Math.max(1, conn.connected) / 1024;
      const run: ScaleRun = {
        target,
        connected: conn.connected,
        failed: conn.failed,
        connectErrors: conn.errors,
        connectMs: conn.ms,
        heapPerConnKB: per(after.heapUsed - before.heapUsed),
        rssPerConnKB: per(after.rss - before.rss),
        heapMB: after.heapUsed / 1024 / 1024,
        rssMB: after.rss / 1024 / 1024,
        latency: {
          ticks: phase.all.ticks,
          p50: phase.all.p50,
          p99: phase.all.p99,
          max: phase.all.max,
          lost: phase.all.lost,
          late: phase.all.late,
          disorder: phase.all.disorder,
          serverCpuUsPerDelivery: phase.all.serverCpuUsPerDelivery,
        },
        foreignCpuPct: others.stop(ownCpuUs),
        loadavg: loadavg(),
      };
      runs.push(run);
      options.onLine?.(
        `scale, ${target} N=${n}: ${run.connected} subscribed (${run.failed} failed${run.connectErrors.length ? `: ${run.connectErrors.join('; ')}` : ''}) in ${(run.connectMs / 1000).toFixed(1)} s from ${loadProcesses} load processes; at ${options.rate} tick/s p50 / p99 / max ${run.latency.p50} / ${run.latency.p99} / ${run.latency.max} ms, lost ${run.latency.lost}; heap ${run.heapPerConnKB.toFixed(2)} KB, RSS ${run.rssPerConnKB.toFixed(1)} KB per connection; load average ${run.loadavg.map((l) => l.toFixed(2)).join(' ')}`,
      );
    } finally {
      await fleet.stop();
    }
  }
  return { requested: options.n, n, fd, loadProcesses, rate: options.rate, seconds: options.seconds, runs };
}

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');

/** The desk beside raw ws at the scale N, with the desk / ws ratios. */
export function printScaleTable(result: ScaleResult): void {
  const of = (t: Target) => result.runs.find((r) => r.target === t);
  const desk = of('livedesk');
  const ws = of('ws');
  const ratio = (pick: (r: ScaleRun) => number) => (desk && ws && pick(ws) > 0 ? `${(pick(desk) / pick(ws)).toFixed(2)}x` : '–');
  const cell = (r: ScaleRun | undefined, text: (r: ScaleRun) => string) => (r ? text(r) : '–');
  console.log(
    `\nScale: N = ${fmt(result.n)} subscribed connections on one server process${result.n < result.requested ? ` (${fmt(result.requested)} asked; open-file hard limit ${fmt(result.fd.hard)})` : ''}, ${result.loadProcesses} load processes from 127.0.0.2-${2 + result.loadProcesses - 1}, ${result.rate} tick/s for ${result.seconds} s`,
  );
  const rows: Array<[string, string, string, string]> = [
    ['', 'livedesk', 'raw ws', 'desk / ws'],
    ['subscribed of N', cell(desk, (r) => fmt(r.connected)), cell(ws, (r) => fmt(r.connected)), ''],
    ['p50 / p99 / max ms', cell(desk, (r) => `${r.latency.p50} / ${r.latency.p99} / ${r.latency.max}`), cell(ws, (r) => `${r.latency.p50} / ${r.latency.p99} / ${r.latency.max}`), `p99 ${ratio((r) => r.latency.p99)}`],
    ['lost, late (> 5 s)', cell(desk, (r) => `${r.latency.lost}, ${r.latency.late}`), cell(ws, (r) => `${r.latency.lost}, ${r.latency.late}`), ''],
    ['server CPU µs per delivery', cell(desk, (r) => fmt(r.latency.serverCpuUsPerDelivery, 1)), cell(ws, (r) => fmt(r.latency.serverCpuUsPerDelivery, 1)), ratio((r) => r.latency.serverCpuUsPerDelivery)],
    ['heap KB per connection', cell(desk, (r) => fmt(r.heapPerConnKB, 2)), cell(ws, (r) => fmt(r.heapPerConnKB, 2)), ratio((r) => r.heapPerConnKB)],
    ['RSS KB per connection', cell(desk, (r) => fmt(r.rssPerConnKB, 1)), cell(ws, (r) => fmt(r.rssPerConnKB, 1)), ratio((r) => r.rssPerConnKB)],
    ['server heap / RSS MB, all open', cell(desk, (r) => `${fmt(r.heapMB)} / ${fmt(r.rssMB)}`), cell(ws, (r) => `${fmt(r.heapMB)} / ${fmt(r.rssMB)}`), ''],
    ['connect + subscribe all, s', cell(desk, (r) => fmt(r.connectMs / 1000, 1)), cell(ws, (r) => fmt(r.connectMs / 1000, 1)), ''],
    ['load average after', cell(desk, (r) => r.loadavg.map((l) => l.toFixed(2)).join(' ')), cell(ws, (r) => r.loadavg.map((l) => l.toFixed(2)).join(' ')), ''],
    ["other processes' CPU %", cell(desk, (r) => fmt(r.foreignCpuPct)), cell(ws, (r) => fmt(r.foreignCpuPct)), ''],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(`  ${r[0].padEnd(widths[0]!)} | ${r.slice(1).map((c, i) => c.padStart(widths[i + 1]!)).join(' | ')}`);
}
