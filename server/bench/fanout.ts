import { checkClusterIds, type IdCheck } from './cluster-ids';
import { Fleet, sleep, WARM_CONNECTIONS, type FleetOptions } from './fleet';
import { foreignCpu } from './machine';
import type { Injection, Target } from './protocol';
import { median } from './stats';

export interface FanoutOptions {
  /** Ramp steps per run, at most. @default 8 */
  maxSteps: number;
  /** Bisection steps after the first failure. @default 2 */
  refine: number;
  /** Ramps, and latency phases, to take the median of. @default 1 */
  runs: number;
  /** Latency phases to take the median of, when not `runs`. */
  latencyRuns?: number;
  /** Ticks per second for the latency phase. @default 10 */
  latencyRate: number;
  /** Seconds of the latency phase. @default 3 */
  latencySeconds: number;
  /** A tick that arrives later than this is late. @default 1000 */
  lateMs: number;
  /** Connections per load process. @default 5000 */
  perProcess: number;
  /** Deliveries/s of the first ramp step. @default 16000 */
  startDeliveries?: number;
  /** Extra flags for the server process (e.g. `--cpu-prof`). */
  serverFlags?: string[];
  /** Cluster mode: desk instances sharing a command log on Redis (see `Fleet`). */
  cluster?: FleetOptions['cluster'];
  /** How ticks reach the server. @default 'burst' */
  injection?: Injection;
  /** Extra environment for the server process(es) (`BENCH_CANDLES=off`). */
  env?: Record<string, string>;
}

/** One instance of a cluster run: its share of the connections and what they saw. */
export interface InstanceFigures {
  connected: number;
  heapPerConnKB: number;
  rssPerConnKB: number;
  warmHeapPerConnKB: number;
  warmRssPerConnKB: number;
  /** The latency phase as seen by this instance's subscribers. */
  latency: { received: number; p50: number; p99: number; max: number };
}

export interface Step {
  tickRate: number;
  deliveriesPerSec: number;
  ok: boolean;
  deliveredPct: number;
  publishMs: number;
  p99Ms: number;
  maxMs: number;
  serverCpuUsPerDelivery: number;
  clientCpuPct: number;
  ticksPerFrame: number;
}

export interface FanoutResult {
  target: Target;
  injection: Injection;
  n: number;
  connected: number;
  failed: number;
  connectErrors: string[];
  connectMs: number;
  /** CPU (percent of one core) other processes on the machine used meanwhile; high means noisy figures. */
  foreignCpuPct: number;
  /**
   * Heap and RSS after GC per idle subscribed connection, from the fresh process (the first
   * figure the bench reported): it counts what V8 compiles for the connection path while the first
   * connections come in, which is paid once per process.
   */
  heapPerConnKB: number;
  rssPerConnKB: number;
  /**
   * The same from after a warm-up cycle (`warmup` connections connected, subscribed and closed,
   * `Fleet.warm`): what each connection holds. The heap target is taken on this one.
   */
  warmHeapPerConnKB: number;
  warmRssPerConnKB: number;
  /** Connections of the warm-up cycle. */
  warmup: number;
  /**
   * The latency phase with the median p99 of `runs` phases; `lost`, `late` and `disorder` count
   * over all of them, `p99Runs` lists each phase's p99.
   */
  latency: {
    rate: number;
    ticks: number;
    p50: number;
    p99: number;
    max: number;
    lost: number;
    late: number;
    disorder: number;
    bytesPerFrame: number;
    /** Server CPU per delivery over the phase (from the first tick until all arrived). */
    serverCpuUsPerDelivery: number;
    p99Runs: number[];
  };
  max: {
    tickRate: number;
    deliveriesPerSec: number;
    serverCpuUsPerDelivery: number;
    clientCpuPct: number;
    /** Latency p99 and ticks per frame during the step at the max rate. */
    p99Ms: number;
    ticksPerFrame: number;
    runs: number[];
    steps: Step[];
    /** No step failed: the ramp stopped at its ceiling, the server can do more than this. */
    capped: boolean;
  };
  /** Cluster runs only: per instance (the first publishes), and the event id check. */
  cluster?: { instances: InstanceFigures[]; ids?: IdCheck; idsError?: string };
}

const GRACE_MS = 1000;
const START_DELIVERIES = 32_000;
const GROWTH = 2;
/** Beyond this many deliveries/s the ramp stops: far above every server here. */
const CEILING_DELIVERIES = 2_000_000;

/** Connects `n` subscribers to a fresh `target` server and measures memory, latency and max rate. */
/** Seconds of ticks at the latency phase's rate before it, unmeasured. */
export const WARM_LATENCY_SECONDS = 2;

export async function measureFanout(target: Target, n: number, options: FanoutOptions): Promise<FanoutResult> {
  const fleet = await Fleet.start(target, Math.max(1, Math.ceil(n / options.perProcess)), {
    serverFlags: options.serverFlags,
    cluster: options.cluster,
    env: options.injection === 'one' || options.env ? { ...options.env, ...(options.injection === 'one' ? { BENCH_INJECT: 'one' } : {}) } : undefined,
  });
  try {
    const others = foreignCpu();
    const ownBefore = (await fleet.serverCpuUs()) + (await fleet.totals()).clientCpuUs;
    type Memory = { heapUsed: number; rss: number };
    const memory = () => Promise.all(fleet.servers.map((s) => s.request<Memory>('memory')));
    // The fresh process's figure first: the old measure, which counts what V8 compiles for the
    // first connections (paid once per process) as if every connection paid its share of it.
    const cold = await memory();
    const warmup = await fleet.warm(WARM_CONNECTIONS);
    const before = await memory();
    const conn = await fleet.connect(n, 120_000);
    await sleep(300);
    const after = await memory();
    const per = (d: number, connected: number) => d / Math.max(1, connected) / 1024;
    const sum = (ms: Memory[], key: keyof Memory) => ms.reduce((s, m) => s + m[key], 0);

    // Steady state, as the target asks: the first ticks compile each server's delivery path, paid
    // once per process; a short phase at the same rate runs them first, measured by nothing.
    await latencyPhase(fleet, conn.connected, { ...options, latencySeconds: WARM_LATENCY_SECONDS });
    const phases: Awaited<ReturnType<typeof latencyPhase>>[] = [];
    for (let run = 0; run < (options.latencyRuns ?? options.runs); run++) phases.push(await latencyPhase(fleet, conn.connected, options));
    const latency = medianPhase(phases);
    let cluster: FanoutResult['cluster'];
    if (options.cluster) {
      cluster = {
        instances: fleet.servers.map((_, i) => ({
          connected: conn.byInstance[i]!,
          heapPerConnKB: per(after[i]!.heapUsed - cold[i]!.heapUsed, conn.byInstance[i]!),
          rssPerConnKB: per(after[i]!.rss - cold[i]!.rss, conn.byInstance[i]!),
          warmHeapPerConnKB: per(after[i]!.heapUsed - before[i]!.heapUsed, conn.byInstance[i]!),
          warmRssPerConnKB: per(after[i]!.rss - before[i]!.rss, conn.byInstance[i]!),
          latency: latency.byInstance[i]!,
        })),
      };
      try {
        cluster.ids = await checkClusterIds(fleet);
      } catch (error) {
        cluster.idsError = error instanceof Error ? error.message : String(error);
      }
    }
    const runs: number[] = [];
    const steps: Step[] = [];
    for (let run = 0; run < options.runs; run++) {
      const ramp = await rampUp(fleet, conn.connected, options);
      runs.push(ramp.best?.deliveriesPerSec ?? 0);
      steps.push(...ramp.steps);
    }
    const best = bestNear(steps, median(runs));
    const ownCpuUs = (await fleet.serverCpuUs()) + (await fleet.totals()).clientCpuUs - ownBefore;
    return {
      target,
      injection: options.injection ?? 'burst',
      n,
      connected: conn.connected,
      failed: conn.failed,
      connectErrors: conn.errors,
      connectMs: conn.ms,
      foreignCpuPct: others.stop(ownCpuUs),
      // Over all instances: the server side's memory per idle connection.
      heapPerConnKB: per(sum(after, 'heapUsed') - sum(cold, 'heapUsed'), conn.connected),
      rssPerConnKB: per(sum(after, 'rss') - sum(cold, 'rss'), conn.connected),
      warmHeapPerConnKB: per(sum(after, 'heapUsed') - sum(before, 'heapUsed'), conn.connected),
      warmRssPerConnKB: per(sum(after, 'rss') - sum(before, 'rss'), conn.connected),
      warmup: warmup.connected,
      latency: latency.all,
      max: {
        tickRate: best?.tickRate ?? 0,
        deliveriesPerSec: median(runs),
        serverCpuUsPerDelivery: best?.serverCpuUsPerDelivery ?? Number.NaN,
        clientCpuPct: best?.clientCpuPct ?? Number.NaN,
        p99Ms: best?.p99Ms ?? Number.NaN,
        ticksPerFrame: best?.ticksPerFrame ?? Number.NaN,
        runs,
        steps,
        capped: steps.length > 0 && steps.every((s) => s.ok),
      },
      cluster,
    };
  } finally {
    await fleet.stop();
  }
}

/** The phase with the median p99, with what went missing or late counted over every phase. */
function medianPhase(phases: Awaited<ReturnType<typeof latencyPhase>>[]) {
  const byP99 = [...phases].sort((a, b) => a.all.p99 - b.all.p99);
  const mid = byP99[Math.floor((byP99.length - 1) / 2)]!;
  const total = (key: 'lost' | 'late' | 'disorder') => phases.reduce((sum, p) => sum + p.all[key], 0);
  return {
    all: { ...mid.all, lost: total('lost'), late: total('late'), disorder: total('disorder'), p99Runs: phases.map((p) => p.all.p99) },
    byInstance: mid.byInstance,
  };
}

/** Publishes ticks at the latency rate and reports the latency every subscriber saw. */
export async function latencyPhase(fleet: Fleet, n: number, options: Pick<FanoutOptions, 'latencyRate' | 'latencySeconds' | 'lateMs'>): Promise<{ all: Omit<FanoutResult['latency'], 'p99Runs'>; byInstance: InstanceFigures['latency'][] }> {
  const ticks = Math.round(options.latencyRate * options.latencySeconds);
  const from = fleet.take(ticks);
  await fleet.phase(from, from + ticks);
  const cpuBefore = await fleet.serverCpuUs();
  await fleet.server.request('publish', { from, count: ticks, rate: options.latencyRate }, 60_000);
  const totals = await fleet.awaitDelivery(ticks * n, performance.now() + Math.max(3_000, n / 2));
  // Idle time included: what the server spends per delivery at this rate, keep-alive and timers too.
  const serverCpuUsPerDelivery = (await fleet.serverCpuUs() - cpuBefore) / Math.max(1, totals.received);
  await fleet.drain();
  const h = totals.latency;
  const all = {
    rate: options.latencyRate,
    ticks,
    p50: h.percentile(50),
    p99: h.percentile(99),
    max: h.max,
    lost: Math.max(0, ticks * n - totals.received),
    late: h.above(options.lateMs),
    disorder: totals.disorder,
    bytesPerFrame: totals.frames ? totals.bytes / totals.frames : Number.NaN,
    serverCpuUsPerDelivery,
  };
  const byInstance = totals.byInstance.map((g) => ({
    received: g.received,
    p50: g.latency.percentile(50),
    p99: g.latency.percentile(99),
    max: g.latency.max,
  }));
  return { all, byInstance };
}

/** Publishes `tickRate` ticks/s for a step and checks that ≥ 99.9 % reached every subscriber in time. */
async function step(fleet: Fleet, n: number, tickRate: number): Promise<Step> {
  const stepMs = n > 1000 ? 2000 : 1000;
  const count = Math.max(3, Math.round((tickRate * stepMs) / 1000));
  const from = fleet.take(count);
  await fleet.phase(from, from + count);
  const clientBefore = (await fleet.totals()).clientCpuUs;
  const cpuBefore = await fleet.serverCpuUs();
  const started = performance.now();
  const { elapsedMs } = await fleet.server.request<{ elapsedMs: number }>('publish', { from, count, rate: tickRate }, stepMs * 20);
  const expected = count * n;
  const totals = await fleet.awaitDelivery(expected, started + Math.max(stepMs, elapsedMs) + GRACE_MS);
  const wallMs = performance.now() - started;
  const cpuUs = (await fleet.serverCpuUs()) - cpuBefore;
  // Kept pace: the last tick went out on time, within a tenth of the step plus about one fan-out
  // round (a synchronous send to every socket blocks the publisher's timer for ~N × 20 µs).
  const paceMs = ((count - 1) / tickRate) * 1000;
  const slackMs = stepMs * 0.1 + n * 0.02;
  const ok = totals.received >= expected * 0.999 && totals.disorder === 0 && elapsedMs <= paceMs + slackMs;
  if (!ok) await fleet.drain();
  return {
    tickRate,
    deliveriesPerSec: tickRate * n,
    ok,
    deliveredPct: (totals.received / expected) * 100,
    publishMs: elapsedMs,
    p99Ms: totals.latency.percentile(99),
    maxMs: totals.latency.max,
    serverCpuUsPerDelivery: cpuUs / Math.max(1, totals.received),
    clientCpuPct: ((totals.clientCpuUs - clientBefore) / 1000 / wallMs) * 100,
    ticksPerFrame: totals.frames ? totals.received / totals.frames : Number.NaN,
  };
}

/**
 * Grows the rate until a step fails (or, when the first one fails, shrinks it until one passes),
 * then bisects between the highest pass and the lowest failure.
 */
async function rampUp(fleet: Fleet, n: number, options: FanoutOptions) {
  const steps: Step[] = [];
  const minRate = 1;
  let rate = Math.max(minRate, (options.startDeliveries ?? START_DELIVERIES) / n);
  let best: Step | undefined;
  let failedAt: number | undefined;
  while (steps.length < options.maxSteps) {
    const result = await step(fleet, n, rate);
    steps.push(result);
    if (result.ok) {
      best = result;
      if (failedAt !== undefined || rate * n >= CEILING_DELIVERIES) break;
      rate *= GROWTH;
    } else {
      failedAt = rate;
      if (best || rate <= minRate) break;
      rate = Math.max(minRate, rate / GROWTH ** 2);
    }
  }
  if (failedAt === undefined || !best) return { best, steps };
  let low = best.tickRate;
  let high = failedAt;
  for (let i = 0; i < options.refine; i++) {
    const result = await step(fleet, n, Math.sqrt(low * high));
    steps.push(result);
    if (result.ok) {
      best = result;
      low = result.tickRate;
    } else high = result.tickRate;
  }
  return { best, steps };
}

function bestNear(steps: Step[], deliveriesPerSec: number): Step | undefined {
  const passed = steps.filter((s) => s.ok);
  return passed.sort((a, b) => Math.abs(a.deliveriesPerSec - deliveriesPerSec) - Math.abs(b.deliveriesPerSec - deliveriesPerSec))[0];
}
