/**
 * `npm run bench`: the desk against raw `ws` and Socket.IO on the same tick stream, each server
 * and its load clients in their own processes on 127.0.0.1. Prints a table, writes JSON.
 *
 *   npm run bench                     N = 100, 1000, 5000, 10000, slow consumer, resume
 *   npm run bench -- --quick          N = 100, 1000 and shorter phases
 *   npm run bench -- --n 1000 --targets livedesk --profile
 *   options: --n a,b  --targets livedesk,ws,socketio  --runs k  --slow-seconds s  --no-slow
 *            --no-resume  --out file  --profile (CPU profile of the desk server into artifacts/)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { measureFanout, type FanoutResult } from './fanout';
import { killAll } from './procs';
import { TARGETS, type Target } from './protocol';
import { printTable } from './table';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? undefined : argv[at + 1];
};
const quick = flag('quick') || process.env.BENCH_QUICK === '1';
const sizes = (option('n') ?? process.env.BENCH_N ?? (quick ? '100,1000' : '100,1000,5000,10000')).split(',').map(Number);
const targets = (option('targets') ?? TARGETS.join(',')).split(',') as Target[];
const runs = Number(option('runs') ?? 1);
const out = resolve(option('out') ?? 'artifacts/bench.json');
const HARD_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_MS ?? 295_000);

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}
const hardStop = setTimeout(() => {
  console.error(`bench: over ${HARD_LIMIT_MS / 1000} s, stopping`);
  killAll();
  process.exit(2);
}, HARD_LIMIT_MS);
hardStop.unref();

const started = Date.now();
const fanout: FanoutResult[] = [];
for (const n of sizes) {
  for (const target of targets) {
    const t0 = Date.now();
    const result = await measureFanout(target, n, {
      maxSteps: 8,
      runs,
      latencyRate: 10,
      latencySeconds: quick ? 2 : 3,
      lateMs: 1000,
      perProcess: 5000,
    });
    fanout.push(result);
    console.log(
      `${target} N=${n}: ${result.connected} subscribed in ${(result.connectMs / 1000).toFixed(1)} s, max ${Math.round(result.max.deliveriesPerSec)} deliveries/s, p99 ${result.latency.p99} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
}

const report = {
  machine: { cpus: availableParallelism(), node: process.version, platform: process.platform },
  startedAt: new Date(started).toISOString(),
  durationMs: Date.now() - started,
  fanout,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2));
printTable(report);
console.log(`\nJSON: ${out} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(0);
