/**
 * `npm run bench`: the desk against raw `ws` and Socket.IO on the same tick stream, each server
 * and its load clients in their own processes on 127.0.0.1. Prints a table, writes JSON.
 *
 *   npm run bench                     N = 100, 1000, 5000, 10000, slow consumer, resume
 *   npm run bench -- --quick          N = 100, 1000 and shorter phases
 *   npm run bench -- --n 1000 --targets livedesk --profile
 *   npm run bench -- --quick --cluster   also two desk instances sharing a command log on Redis
 *
 * Options: --n a,b  --targets livedesk,ws,socketio  --runs k (median of k ramps)
 *   --slow-seconds s  --slow-targets livedesk,ws  --no-slow  --no-resume  --resume-events k  (--n , for no fan-out)
 *   --transport desk|stock (sets DESK_WS_TRANSPORT for the desk server)  --out file
 *   --profile (CPU profiles of each desk server into artifacts/profiles/livedesk-N<n>/;
 *   read the biggest with profile-summary.ts)
 *   --cluster (livedesk ×2 on a bench-owned redis-server, beside the single instance, at each N
 *   of --cluster-n, default 100,1000)
 *   --no-flood (skip the flood phase: hostile clients against another client's tick and mutation
 *   p99, as ratios against a no-flood baseline of the same run; --flood-seconds s per phase)
 *   --retention (a desk on a log pre-filled to its retention beside a fresh one: ingest and p99;
 *   --retention-events k, default 1000000; --retention-only skips everything else)
 *   --no-inject, --inject-n k (default 1000), --inject-targets a,b: ticks one per turn of the event
 *   loop (the desk: each its own market.setPrice mutation) at N = k, beside the main loop's bursts
 *   --no-ingest, --ingest-only (durable ingest into the desk from 1 and 8 connections, NORMAL and
 *   FULL, beside a bare better-sqlite3 loop on the same disk; with --profile, CPU profiles of each run
 *   into artifacts/profiles/ingest/)
 *   --no-candles (skip the candles phase: one day of 1 m bars loaded through market.candles, ticks/s
 *   with candles on and off, and a second desk fan-out at N = --candles-n, default 1000, with candles off)
 *   --cluster-startup (a new cluster instance's start-up on a long history, from the newest
 *   snapshot: --cluster-startup-commands k, default 1000000; --cluster-startup-only skips the rest)
 *   --scale (N = 50,000 subscribed connections on one desk process beside raw ws at the same N, at
 *   1 tick/s, from several load processes on 127.0.0.x; the default run does the same at N = 5,000;
 *   --scale-n k sets N, --scale-only skips the rest, --no-scale skips it)
 *   --no-bytes, --bytes-only, --bytes-n k (default 200), --bytes-seconds s: bytes per second per state stream that
 *   offers deltas, with and without them, at the simulator's rate; then permessage-deflate off and on
 *   at N = k connections (wire bytes, server CPU, memory per connection)
}

 *   --no-replay, --replay-only (time travel on a journal pre-filled with --replay-events k, default
 *   1000000: rebuilding the desk as of a moment that far back and of moments spread over the log,
 *   a replay's speed in events/s, and a history page of a time range that far back; about 40 s)
 * Environment: BENCH_N, BENCH_QUICK=1, BENCH_CLUSTER=1, BENCH_TIME_LIMIT_MS (default 720000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { measureBytes, printBytesTable, type BytesResult } from './bytes';
import { measureCandles, type CandlesResult } from './candles';
import { measureReplay, type ReplayBenchResult } from './replay';
import { measureClusterStartup, type ClusterStartupResult } from './cluster-startup';
import { measureEquity, type EquityResult } from './equity';
import { measureFanout, WARM_LATENCY_SECONDS, type FanoutResult } from './fanout';
import { measureIngest, printIngestTable, type IngestResult } from './ingest';
import { printInjectionTable } from './injection-table';
import { measureFlood, printFloodTable, type FloodResult } from './flood';
import { Fleet, SERVER_CPU } from './fleet';
import { killAll } from './procs';
import { TARGETS, type Target } from './protocol';
import { startBenchRedis, type BenchRedis } from './redis';
import { measureResume } from './resume';
import { measureRetention } from './retention';
import { measureScale, printScaleTable, type ScaleResult } from './scale';
import { measureSlowConsumer } from './slow-consumer';
import { printTable, type Report } from './table';
import { checkTargets, printTargets, type TargetCheck } from './targets';
import { verifyStockClient } from './verify';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? undefined : argv[at + 1];
};
const list = (value: string) => value.split(',').filter(Boolean);
const quick = flag('quick') || process.env.BENCH_QUICK === '1';
const sizes = list(option('n') ?? process.env.BENCH_N ?? (quick ? '100,1000' : '100,1000,5000,10000')).map(Number);
const targets = list(option('targets') ?? TARGETS.join(',')) as Target[];
const runs = Number(option('runs') ?? 1);
const slowSeconds = Number(option('slow-seconds') ?? (quick ? 8 : 10));
const slowTargets = flag('no-slow') ? [] : (list(option('slow-targets') ?? 'livedesk') as Target[]);
const resumeEvents = Number(option('resume-events') ?? 10_000);
const profile = flag('profile');
const out = resolve(option('out') ?? 'artifacts/bench.json');
// The desk server process inherits this (the desk's own transport or tRPC's stock adapter).
const transport = option('transport');
if (transport) process.env.DESK_WS_TRANSPORT = transport;
// The bytes and scale phases came on top of the fan-out: 7 minutes left the ticks-one-per-turn phase, which
// several targets are measured by, to the time budget.
const timeLimitMs = Number(process.env.BENCH_TIME_LIMIT_MS ?? 720_000);
const clusterMode = flag('cluster') || process.env.BENCH_CLUSTER === '1';
const clusterSizes = clusterMode ? list(option('cluster-n') ?? '100,1000').map(Number) : [];
const floodSeconds = flag('no-flood') ? 0 : Number(option('flood-seconds') ?? (quick ? 3 : 4));
const retentionOnly = flag('retention-only');
const retentionMode = flag('retention') || retentionOnly || process.env.BENCH_RETENTION === '1';
const retentionEvents = Number(option('retention-events') ?? 1_000_000);
const startupOnly = flag('cluster-startup-only');
const startupMode = flag('cluster-startup') || startupOnly;
const startupCommands = Number(option('cluster-startup-commands') ?? 1_000_000);
const ingestOnly = flag('ingest-only');
// Ticks one per turn of the event loop (each its own mutation) at this N, beside the bursts of the main loop.
const injectN = flag('no-inject') ? 0 : Number(option('inject-n') ?? 1000);
/**
 * Latency phases at 10 ticks/s in the one-per-turn runs (median p99), whatever `--runs` says for the
 * ramps: the p99 target reads this phase, and one phase of ~30 ticks swung 0.69-1.30x between runs.
 */
const INJECT_LATENCY_RUNS = 3;
const injectTargets = list(option('inject-targets') ?? TARGETS.join(',')) as Target[];
// Candles: the load of a day of bars, and their cost on the tick path and the fan-out at this N.
const candlesN = flag('no-candles') ? 0 : Number(option('candles-n') ?? 1000);
// The portfolio's history: its cost on the tick path and the fan-out at this N, every tick moving the portfolio.
const equityN = flag('no-equity') ? 0 : Number(option('equity-n') ?? 300);
// Many connections at 1 tick/s: 50,000 with --scale (about 3 minutes), a smaller N in the default run.
const scaleOnly = flag('scale-only');
const replayOnly = flag('replay-only');
// An --<phase>-only run measures that phase alone: the phases that come before it in the run are skipped too.
const onlyFlags = argv.filter((a) => /^--[\w-]+-only$/.test(a));
const otherOnly = (phase: string) => onlyFlags.length > 0 && !onlyFlags.includes(`--${phase}-only`);
const replayEvents = (flag('no-replay') && !replayOnly) || otherOnly('replay') ? 0 : Number(option('replay-events') ?? 1_000_000);
const scaleN = flag('no-scale') && !scaleOnly ? 0 : Number(option('scale-n') ?? (flag('scale') || scaleOnly ? 50_000 : 5_000));
// Bytes of the state streams with and without deltas, then permessage-deflate at this N (about 1 minute).
const bytesN = Number(option('bytes-n') ?? 200);
const bytesOnly = flag('bytes-only');
const bytesSeconds = (flag('no-bytes') && !bytesOnly) || otherOnly('bytes') ? 0 : Number(option('bytes-seconds') ?? (quick ? 4 : 6));
const loadBefore = loadavg();
const ingestMode = !flag('no-ingest') || ingestOnly;

const started = Date.now();
const elapsed = () => `[${((Date.now() - started) / 1000).toFixed(0)} s]`;
const report: Report & { startedAt: string; durationMs: number; options: unknown; cluster: FanoutResult[]; clusterStartup?: ClusterStartupResult; flood?: FloodResult; ingest?: IngestResult; scale?: ScaleResult; replay?: ReplayBenchResult; bytes?: BytesResult; targets?: TargetCheck[]; injection: FanoutResult[]; equity?: EquityResult & { fanout?: { on: FanoutResult; off: FanoutResult; ratio: number; p99: { on: number; off: number } } }; candles?: CandlesResult & { fanout?: { on: FanoutResult; off: FanoutResult; ratio: number; p99: { on: number; off: number } } }; loadavg?: { before: number[]; after: number[] } } = {
  machine: { cpus: availableParallelism(), node: process.version },
  startedAt: new Date(started).toISOString(),
  durationMs: 0,
  options: {
    sizes,
    targets,
    runs,
    slowSeconds,
    slowTargets,
    resumeEvents,
    quick,
    transport: process.env.DESK_WS_TRANSPORT ?? 'default',
    clusterSizes,
    retentionEvents: retentionMode ? retentionEvents : 0,
    floodSeconds,
  },
  fanout: [],
  injection: [],
  cluster: [],
  slow: [],
  skipped: [],
  errors: [],
};

/** Runs one measurement; a failure is recorded and the rest of the bench goes on. */
async function attempt<T>(what: string, measure: () => Promise<T>): Promise<T | undefined> {
  try {
    return await measure();
  } catch (error) {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    report.errors.push(message);
    console.error(`${elapsed()} failed, ${message}`);
    return undefined;
  }
}

let finished = false;
/** Writes the JSON and prints the table with whatever was measured, then exits. */
function finish(code: number): never {
  if (!finished) {
    finished = true;
    killAll();
    report.durationMs = Date.now() - started;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(report, null, 2));
    printTable(report);
    if (report.flood) printFloodTable(report.flood);
    report.loadavg = { before: loadBefore, after: loadavg() };
    if (injectN > 0 && report.injection.length > 0) printInjectionTable([...report.fanout, ...report.injection], injectN, report.loadavg);
    if (report.ingest) printIngestTable(report.ingest);
    if (report.scale) printScaleTable(report.scale);
    if (report.bytes) printBytesTable(report.bytes);
    report.targets = checkTargets({ ...report, injectN: injectN || 1000 });
    writeFileSync(out, JSON.stringify(report, null, 2));
    printTargets(report.targets, report.machine, report.loadavg);
    console.log(`\nJSON: ${out} (${(report.durationMs / 1000).toFixed(0)} s)`);
  }
  process.exit(code);
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => finish(130));
setTimeout(() => {
  console.error(`${elapsed()} over the time limit, stopping`);
  report.skipped.push('the rest (time limit)');
  finish(2);
}, timeLimitMs).unref();

// First, so the fan-out budget cannot squeeze it out: it takes about a minute at 1M events.
if (retentionMode) {
  await attempt('retention', async () => {
    report.retention = await measureRetention({ retainEvents: retentionEvents, n: 1000, ingestSeconds: 5, concurrency: 16 });
    for (const r of report.retention.runs) {
      console.log(
        `${elapsed()} retention, ${r.log} log (${r.prefilled} events): ingest ${Math.round(r.ingest.perSec)}/s (ack p99 ${r.ingest.p99} ms), p99 ${r.latency.p99} ms at N=${r.latency.n}, 10 ticks/s, lost ${r.latency.lost}`,
      );
    }
  });
  if (retentionOnly) finish(0);
}

if (bytesSeconds > 0) {
  report.bytes = await attempt('bytes', () => measureBytes({ seconds: bytesSeconds, deflateN: bytesN, onLine: (line) => console.log(`${elapsed()} ${line}`) }));
  if (bytesOnly) finish(0);
}

if (replayEvents > 0) {
  report.replay = await attempt('replay', () => measureReplay({ events: replayEvents }));
  const r = report.replay;
  if (r) {
    console.log(
      `${elapsed()} time travel on ${r.events} journaled events (${r.checkpoints} checkpoints): the desk as of ${r.events} events back rebuilt in ${r.oldestMs.median} ms (max ${r.oldestMs.max}), of moments spread over the log ${r.anyMs.median} ms (max ${r.anyMs.max}), replay.asOf through the client ${r.wireMs.median} ms (health ${r.healthMs.median} ms); replay ${r.replay.eventsPerSec} events/s (${r.replay.events} in ${r.replay.ms} ms); a history page of a range ${r.events} events back by time ${r.historyBack.ms.median} ms (max ${r.historyBack.ms.max}, ${r.historyBack.items} items; scanned by id instead: ${r.historyBack.scan.pages} pages, ${r.historyBack.scan.ms} ms); pre-filling took ${(r.prefillMs / 1000).toFixed(0)} s`,
    );
  }
  if (replayOnly) finish(0);
}

if (scaleN > 0) {
  report.scale = await attempt('scale', () =>
    measureScale({ n: scaleN, targets: ['livedesk', 'ws'], rate: 1, seconds: 10, perProcess: 5000, onLine: (line) => console.log(`${elapsed()} ${line}`) }),
  );
  if (scaleOnly) finish(0);
}

// Durable ingest beside bare SQLite, NORMAL and FULL: about 40 s.
if (ingestMode) {
  report.ingest = await attempt('ingest', () =>
    measureIngest({
      seconds: quick ? 2 : 3,
      profileDir: profile ? resolve('artifacts/profiles/ingest') : undefined,
      onRun: (line) => console.log(`${elapsed()} ${line}`),
    }),
  );
  if (ingestOnly) finish(0);
}

if (startupMode) {
  await attempt('cluster start-up', async () => {
    const r = await measureClusterStartup({ history: startupCommands });
    report.clusterStartup = r;
    console.log(
      `${elapsed()} cluster start-up at ${r.history} commands of history (snapshot every ${r.snapshotEvery}): listening in ${r.listenMs} ms, ready in ${r.readyMs} ms (from snapshot #${r.restoredSeq}, ${r.tailFolded} commands folded after it); stream ${r.streamLength} entries, snapshot ${(r.snapshotBytes / 1024).toFixed(0)} KiB, Redis ${(r.redisBytes / 1024 / 1024).toFixed(1)} MiB; filling took ${(r.fillMs / 1000).toFixed(0)} s`,
    );
  });
  if (startupOnly) finish(0);
}

if (!flag('no-resume')) {
  await attempt('stock client check and resume', async () => {
    const fleet = await Fleet.start('livedesk', 0);
    try {
      report.verify = await verifyStockClient(fleet);
      console.log(`${elapsed()} stock @trpc/client check: ${JSON.stringify(report.verify)}`);
      report.resume = await measureResume(fleet, resumeEvents);
      console.log(`${elapsed()} resume: ${report.resume.received} of ${report.resume.events} in ${report.resume.catchUpMs.toFixed(0)} ms, in order: ${report.resume.inOrder}`);
    } finally {
      await fleet.stop();
    }
  });
}

// What the slow-consumer runs and the flood phase need at the end: two runs and a start per
// target; six phases, a start and the drain.
const slowReserveMs = slowTargets.length * (2 * slowSeconds + 16) * 1000 + (floodSeconds > 0 ? (7 * floodSeconds + 12) * 1000 : 0);
const previous = new Map<Target, FanoutResult>();
const fanoutOptions = (n: number, before: number | undefined) => ({
  maxSteps: 8,
  refine: n > 1000 ? 1 : 2,
  runs,
  startDeliveries: before ? Math.max(4000, before * 0.5) : undefined,
  latencyRate: 10,
  latencySeconds: quick ? 2 : 3,
  lateMs: 1000,
  perProcess: 5000,
});

// Cluster runs share one redis-server, started at the first and stopped after the last; each run
// has its own key prefix, so its two instances start on an empty command log.
let redis: BenchRedis | undefined;
let previousCluster: FanoutResult | undefined;
/** The first ramp step the single livedesk took at each N: the cluster climbs the same ladder. */
const livedeskStart = new Map<number, number | undefined>();
async function measureCluster(n: number): Promise<void> {
  // Two servers, Redis, the event id check: about one and a half single runs.
  const expectedMs = 18_000 + n * 4 + WARM_LATENCY_SECONDS * 1000;
  if (Date.now() - started + expectedMs + slowReserveMs > timeLimitMs) {
    report.skipped.push(`livedesk ×2 (Redis) N=${n} (time budget)`);
    return;
  }
  redis ??= await attempt('redis-server for the cluster runs', () => startBenchRedis({ cpu: SERVER_CPU }));
  if (!redis) return;
  const { url, cpuUs } = redis;
  const result = await attempt(`livedesk ×2 (Redis) N=${n}`, () =>
    measureFanout('livedesk', n, {
      ...(livedeskStart.has(n)
        ? { ...fanoutOptions(n, undefined), startDeliveries: livedeskStart.get(n) }
        : fanoutOptions(n, previousCluster?.max.deliveriesPerSec)),
      cluster: { url, prefix: `bench-${process.pid}-n${n}`, instances: 2, extraCpuUs: cpuUs },
    }),
  );
  if (!result) return;
  report.cluster.push(result);
  previousCluster = result;
  const ids = result.cluster?.ids;
  console.log(
    `${elapsed()} livedesk ×2 (Redis) N=${n}: ${result.connected} subscribed (${result.cluster?.instances.map((i) => i.connected).join(' + ')}) in ${(result.connectMs / 1000).toFixed(1)} s, max ${Math.round(result.max.deliveriesPerSec)} deliveries/s, p99 ${result.latency.p99} ms at 10/s, same event ids on both: ${ids ? `${ids.identical} (${ids.sameIds} of ${ids.compared})` : `check failed, ${result.cluster?.idsError}`}`,
  );
}

for (const n of sizes) {
  for (const target of targets) {
    // About what one server at this N takes: start, connect, latency phase, ramp.
    const expectedMs = 12_000 + n * 2.5 + WARM_LATENCY_SECONDS * 1000;
    if (Date.now() - started + expectedMs + slowReserveMs > timeLimitMs) {
      report.skipped.push(`${target} N=${n} (time budget)`);
      continue;
    }
    const before = previous.get(target)?.max.deliveriesPerSec;
    const options = fanoutOptions(n, before);
    if (target === 'livedesk') livedeskStart.set(n, options.startDeliveries);
    const result = await attempt(`${target} N=${n}`, () => measureFanout(target, n, {
      ...options,
      serverFlags:
        profile && target === 'livedesk'
          ? ['--cpu-prof', `--cpu-prof-dir=${resolve(`artifacts/profiles/livedesk-N${n}`)}`]
          : [],
    }));
    if (!result) continue;
    report.fanout.push(result);
    previous.set(target, result);
    console.log(
      `${elapsed()} ${target} N=${n}: ${result.connected} subscribed in ${(result.connectMs / 1000).toFixed(1)} s, max ${Math.round(result.max.deliveriesPerSec)} deliveries/s, p99 ${result.latency.p99} ms at 10/s`,
    );
  }
  if (clusterSizes.includes(n)) await measureCluster(n);
}
// Ticks one at a time: each its own mutation (the desk) or its own turn of the event loop (the baselines).
if (injectN > 0) {
  for (const target of injectTargets) {
    // The ramp, the warm-up and INJECT_LATENCY_RUNS latency phases.
    const expectedMs = 12_000 + injectN * 2.5 + (WARM_LATENCY_SECONDS + INJECT_LATENCY_RUNS * fanoutOptions(injectN, undefined).latencySeconds) * 1000;
    if (Date.now() - started + expectedMs + slowReserveMs > timeLimitMs) {
      report.skipped.push(`${target} N=${injectN}, one tick per turn (time budget)`);
      continue;
    }
    const result = await attempt(`${target} N=${injectN}, one tick per turn`, () =>
      measureFanout(target, injectN, { ...fanoutOptions(injectN, undefined), latencyRuns: Math.max(runs, INJECT_LATENCY_RUNS), injection: 'one' }),
    );
    if (!result) continue;
    report.injection.push(result);
    console.log(
      `${elapsed()} ${target} N=${injectN}, one tick per turn: max ${Math.round(result.max.deliveriesPerSec)} deliveries/s (${result.max.ticksPerFrame.toFixed(1)} ticks/frame), p99 ${result.latency.p99} ms at 10/s, ${result.latency.serverCpuUsPerDelivery.toFixed(1)} µs server CPU per delivery`,
    );
  }
}

if (candlesN > 0) {
  const measured = await attempt('candles', () => measureCandles());
  if (measured) {
    const candles: NonNullable<typeof report.candles> = measured;
    report.candles = candles;
    console.log(
      `${elapsed()} candles: ${candles.bars} 1 m bars (a day) in one market.candles query ${candles.loadMs.median} ms (max ${candles.loadMs.max}), paged 500 at a time ${candles.pagedMs} ms; tick path ${candles.ticksPerSec.on} ticks/s with candles, ${candles.ticksPerSec.off} without (ratio ${candles.ratio}); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    // The same fan-out with candles off, beside the run with them (the default) at the same N.
    const on = report.fanout.find((r) => r.target === 'livedesk' && r.n === candlesN);
    const expectedMs = 12_000 + candlesN * 2.5;
    if (!on) report.skipped.push(`candles off, livedesk N=${candlesN} (no run with candles at that N)`);
    else if (Date.now() - started + expectedMs + slowReserveMs > timeLimitMs) report.skipped.push(`candles off, livedesk N=${candlesN} (time budget)`);
    else {
      const off = await attempt(`candles off, livedesk N=${candlesN}`, () =>
        measureFanout('livedesk', candlesN, { ...fanoutOptions(candlesN, undefined), startDeliveries: livedeskStart.get(candlesN), env: { BENCH_CANDLES: 'off' } }),
      );
      if (off) {
        const ratio = Math.round((on.max.deliveriesPerSec / off.max.deliveriesPerSec) * 1000) / 1000;
        candles.fanout = { on, off, ratio, p99: { on: on.latency.p99, off: off.latency.p99 } };
        console.log(
          `${elapsed()} candles, fan-out at N=${candlesN}: max ${Math.round(on.max.deliveriesPerSec)} deliveries/s with candles, ${Math.round(off.max.deliveriesPerSec)} without (ratio ${ratio}), p99 ${on.latency.p99} / ${off.latency.p99} ms; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
        );
      }
    }
  }
}

if (equityN > 0) {
  const measured = await attempt('equity', async () => measureEquity({ rounds: 7, ticksPerRound: 2_000, queries: 10 }));
  if (measured) {
    const equity: NonNullable<typeof report.equity> = measured;
    report.equity = equity;
    console.log(
      `${elapsed()} equity: tick path (every tick moving the portfolio) ${equity.ticksPerSec.on} ticks/s with the history kept, ${equity.ticksPerSec.off} without (ratio ${equity.ratio}), CPU ${equity.cpuUsPerTick.on} / ${equity.cpuUsPerTick.off} µs a tick; equityHistory ${equity.queryMs.lastHour1s} ms for 1,800 1 s points, ${equity.queryMs.allAuto} ms for two hours (auto); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    // Two short ramps at the same N with a position in every symbol, the history kept and not.
    const expectedMs = 2 * (8_000 + equityN * 2.5);
    if (Date.now() - started + expectedMs + slowReserveMs > timeLimitMs) report.skipped.push(`equity on/off, livedesk N=${equityN} (time budget)`);
    else {
      const short = { ...fanoutOptions(equityN, undefined), maxSteps: 4, refine: 1, latencySeconds: 2, startDeliveries: livedeskStart.get(equityN) };
      const run = (on: boolean) =>
        attempt(`equity ${on ? 'on' : 'off'}, livedesk N=${equityN}`, () => measureFanout('livedesk', equityN, { ...short, env: { BENCH_HOLD: '1', BENCH_EQUITY: on ? 'on' : 'off' } }));
      const on = await run(true);
      const off = on ? await run(false) : undefined;
      if (on && off) {
        const ratio = Math.round((on.max.deliveriesPerSec / off.max.deliveriesPerSec) * 1000) / 1000;
        equity.fanout = { on, off, ratio, p99: { on: on.latency.p99, off: off.latency.p99 } };
        console.log(
          `${elapsed()} equity, fan-out at N=${equityN} (positions held): max ${Math.round(on.max.deliveriesPerSec)} deliveries/s with the history, ${Math.round(off.max.deliveriesPerSec)} without (ratio ${ratio}), p99 ${on.latency.p99} / ${off.latency.p99} ms; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
        );
      }
    }
  }
}

// Cluster sizes the fan-out list does not have run on their own.
for (const n of clusterSizes.filter((n) => !sizes.includes(n))) await measureCluster(n);
await redis?.stop();

for (const target of slowTargets) {
  const result = await attempt(`slow consumer, ${target}`, () => measureSlowConsumer(target, { others: 20, tickRate: 1000, seconds: slowSeconds }));
  if (!result) continue;
  report.slow.push(result);
  console.log(`${elapsed()} slow consumer, ${target}: others' p99 ${result.without.p99} → ${result.with.p99} ms, heap growth ${result.with.heapGrowthMB.toFixed(1)} MB`);
}

if (floodSeconds > 0) {
  report.flood = await attempt('flood', () =>
    measureFlood({
      phaseMs: floodSeconds * 1000,
      control: true,
      onPhase: (p) => console.log(`${elapsed()} flood, ${p.name}: tick p99 ${p.tickP99} ms, mutation p99 ${p.mutationP99} ms, heap ${p.heapMaxMB} MB`),
    }),
  );
}

finish(0);
