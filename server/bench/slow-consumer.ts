import { Fleet, sleep } from './fleet';
import { foreignCpu } from './machine';
import { spawnChild } from './procs';
import type { Target } from './protocol';
import { ratio } from './stats';

export interface SlowOptions {
  /** Subscribers that keep reading. @default 20 */
  others: number;
  /** @default 1000 */
  tickRate: number;
  /** How long the slow client reads nothing while ticks flow. @default 15 */
  seconds: number;
}

interface MemorySample {
  t: number;
  rssMB: number;
  heapMB: number;
  bufferedKB: number;
}

interface RunResult {
  p50: number;
  p99: number;
  max: number;
  lost: number;
  /** CPU (percent of one core) other processes on the machine used meanwhile. */
  foreignCpuPct: number;
  /** Heap after a full GC, at the end of the run minus at its start. */
  heapGrowthMB: number;
  samples: MemorySample[];
}

export interface SlowResult extends SlowOptions {
  target: Target;
  without: RunResult;
  with: RunResult;
  /** p99 of the others with the slow client / without it. */
  p99Ratio: number;
  /** What the slow client got once it read again. */
  slowClient: { expected: number; received: number; closed: number };
}

const MB = 1024 * 1024;

/**
 * Runs the tick stream twice to the same subscribers: once as is, once with one more client that
 * reads nothing (its TCP socket paused) for the whole run. Reports the others' latency both times
 * and the server's memory over time.
 */
export async function measureSlowConsumer(target: Target, options: SlowOptions): Promise<SlowResult> {
  const fleet = await Fleet.start(target, 1);
  const slow = spawnChild(`${target}-slow`, './load-client.ts', [], { cpu: 1 });
  try {
    await slow.ready;
    await fleet.connect(options.others, 60_000);
    const without = await run(fleet, options, async () => {});
    await slow.request('connect', { target, url: fleet.url, count: 1 });
    let slowRange = { from: 0, count: 0 };
    const withSlow = await run(fleet, options, async (from, count) => {
      slowRange = { from, count };
      await slow.request('phase', { from, to: from + count });
      await slow.request('pause', { ms: options.seconds * 1000 + 3000 });
    });
    // Once it reads again: everything (a baseline), or a conflated view (the desk's prices).
    await sleep(4000);
    const late = await fleet.totals([slow]);
    return {
      target,
      ...options,
      without,
      with: withSlow,
      p99Ratio: ratio(withSlow.p99, without.p99),
      slowClient: { expected: slowRange.count, received: late.received, closed: late.closed },
    };
  } finally {
    slow.kill();
    await fleet.stop();
  }
}

async function run(fleet: Fleet, options: SlowOptions, before: (from: number, count: number) => Promise<void>): Promise<RunResult> {
  const count = options.tickRate * options.seconds;
  const from = fleet.take(count);
  await fleet.phase(from, from + count);
  await before(from, count);
  const gcBefore = await fleet.server.request<{ heapUsed: number }>('memory');
  const others = foreignCpu();
  const ownBefore = (await fleet.serverCpuUs()) + (await fleet.totals()).clientCpuUs;
  const samples: MemorySample[] = [];
  const started = performance.now();
  let done = false;
  const publishing = fleet.server
    .request('publish', { from, count, rate: options.tickRate }, options.seconds * 4000 + 10_000)
    .finally(() => (done = true));
  while (!done) {
    const s = await fleet.server.request<{ rss: number; heapUsed: number; buffered: number }>('sample');
    samples.push({ t: Math.round(performance.now() - started), rssMB: s.rss / MB, heapMB: s.heapUsed / MB, bufferedKB: s.buffered / 1024 });
    await Promise.race([sleep(1000), publishing]);
  }
  await publishing;
  const totals = await fleet.awaitDelivery(count * options.others, performance.now() + 2000);
  const ownCpuUs = (await fleet.serverCpuUs()) + totals.clientCpuUs - ownBefore;
  const gcAfter = await fleet.server.request<{ heapUsed: number }>('memory');
  await fleet.drain();
  return {
    p50: totals.latency.percentile(50),
    p99: totals.latency.percentile(99),
    max: totals.latency.max,
    lost: Math.max(0, count * options.others - totals.received),
    foreignCpuPct: others.stop(ownCpuUs),
    heapGrowthMB: (gcAfter.heapUsed - gcBefore.heapUsed) / MB,
    samples,
  };
}
