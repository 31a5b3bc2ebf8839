/**
 * Server CPU per delivery at a steady tick rate, the desk beside raw `ws` in the same run, each
 * server under `--cpu-prof`: `n` idle subscribers connect, then `seconds` of ticks at `rate` (one
 * per turn of the event loop for the desk, as `market.setPrice` mutations; `--burst` for the
 * bench's bursts). Prints CPU µs per delivery and the bytes per frame of each, and leaves one
 * profile per server to read with `profile-summary.ts --after <connect seconds>`.
 *
 *   npx tsx server/bench/delivery-profile.ts [n = 1000] [seconds = 20] [rate = 10] [--burst] [--no-profile]
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { latencyPhase } from './fanout';
import { Fleet } from './fleet';
import type { Target } from './protocol';

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
const [n = 1000, seconds = 20, rate = 10] = argv.filter((a) => !a.startsWith('--')).map(Number);
const targets: Target[] = ['livedesk', 'ws'];

const la = () => loadavg().map((v) => v.toFixed(2)).join(' ');
console.log(`N = ${n}, ${rate} ticks/s for ${seconds} s, ${flags.has('--burst') ? 'bursts' : 'one per turn'}; load average ${la()}`);
const results: { target: Target; cpu: number; bytes: number; p99: number; lost: number; connectS: number; dir: string }[] = [];
for (const target of targets) {
  const dir = resolve(`artifacts/profiles/delivery-${target}-N${n}`);
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const fleet = await Fleet.start(target, Math.ceil(n / 5000), {
    serverFlags: flags.has('--no-profile') ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'],
    env: flags.has('--burst') ? undefined : { BENCH_INJECT: 'one' },
  });
  try {
    await fleet.connect(n, 120_000);
    const connectS = (performance.now() - started) / 1000;
    // A short phase first: code that runs on the first ticks is compiled then, not measured.
    await latencyPhase(fleet, n, { latencyRate: rate, latencySeconds: 2, lateMs: 1000 });
    const { all } = await latencyPhase(fleet, n, { latencyRate: rate, latencySeconds: seconds, lateMs: 1000 });
    results.push({ target, cpu: all.serverCpuUsPerDelivery, bytes: all.bytesPerFrame, p99: all.p99, lost: all.lost, connectS, dir });
  } finally {
    await fleet.stop();
  }
}
const [desk, ws] = results as [(typeof results)[0], (typeof results)[0]];
for (const r of results) {
  console.log(
    `${r.target.padEnd(9)} ${r.cpu.toFixed(2)} µs per delivery, ${r.bytes.toFixed(0)} bytes per frame, p99 ${r.p99} ms, lost ${r.lost}; profile in ${r.dir} (connected by ${r.connectS.toFixed(1)} s)`,
  );
}
console.log(`desk / ws: ${(desk.cpu / ws.cpu).toFixed(2)}x CPU per delivery; load average ${la()}`);
