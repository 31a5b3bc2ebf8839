import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeskClient } from '../../shared/node';
import { latencyPhase, type FanoutResult } from './fanout';
import { Fleet } from './fleet';
import { Histogram } from './stats';

export interface RetentionRun {
  /** `fresh`: an empty database; `prefilled`: one already holding `retainEvents` events. */
  log: 'fresh' | 'prefilled';
  prefilled: number;
  prefillMs: number;
  ingest: { seconds: number; acked: number; perSec: number; p50: number; p99: number; max: number; failed: number };
  /** The server's event-loop delay during the ingest, ms (a pruning stall shows here first). */
  loopDelay: { p99: number; max: number };
  /** At `n` subscribers and 10 ticks/s, while notifications keep arriving (so pruning keeps running). */
  latency: Omit<FanoutResult['latency'], 'p99Runs'> & { n: number };
  /** Rows in the log at the end, and what pruning removed meanwhile. */
  rowsAtEnd: number;
  pruned: number;
  /** The pruning steps meanwhile: rows per second of step time (what pruning could keep up with), the longest step. */
  pruning: { steps: number; rowsPerSec: number; maxStepMs: number };
}

export interface RetentionResult {
  retainEvents: number;
  runs: RetentionRun[];
}

export interface RetentionOptions {
  /** The retention limit, and the pre-filled log's size. @default 1000000 */
  retainEvents: number;
  /** Subscribers for the latency phase. @default 1000 */
  n: number;
  /** Seconds of full-speed ingest. @default 5 */
  ingestSeconds: number;
  /** Mutations in flight during ingest. @default 16 */
  concurrency: number;
}

/**
 * Retention at scale: the desk on a database already holding as many events as it retains (every
 * new event makes pruning delete an old one) beside the desk on an empty file, same load on both:
 * notification ingest as fast as acknowledged, then fan-out latency at N subscribers, 10 ticks/s,
 * with notifications still arriving.
 */
export async function measureRetention(options: RetentionOptions): Promise<RetentionResult> {
  const runs: RetentionRun[] = [];
  for (const log of ['fresh', 'prefilled'] as const) runs.push(await measureRun(log, options));
  return { retainEvents: options.retainEvents, runs };
}

async function measureRun(log: RetentionRun['log'], options: RetentionOptions): Promise<RetentionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'livedesk-retention-'));
  const prefilled = log === 'prefilled' ? options.retainEvents : 0;
  const fleet = await Fleet.start('livedesk', Math.max(1, Math.ceil(options.n / 5000)), {
    env: { BENCH_DB: join(dir, 'desk.db'), BENCH_PREFILL: String(prefilled), BENCH_RETAIN_EVENTS: String(options.retainEvents) },
  });
  const client = createDeskClient({ url: fleet.url.replace(/^ws/, 'http') });
  try {
    type Journal = { rows: number; floor: string; prefillMs: number; pruning: { steps: number; rows: number; ms: number; maxMs: number } };
    const before = (await fleet.server.request<Journal>('journal', {}, 60_000))!;
    await fleet.server.request('loopDelay');
    const ingest = await ingestFor(client.api, options.ingestSeconds * 1000, options.concurrency);
    const loopDelay = await fleet.server.request<{ p99: number; max: number }>('loopDelay');
    const conn = await fleet.connect(options.n, 120_000);
    // A steady trickle of notifications keeps pruning busy while the latency is measured.
    const trickle = ingestFor(client.api, 4_000, 2);
    const phase = await latencyPhase(fleet, conn.connected, { latencyRate: 10, latencySeconds: 3, lateMs: 1000 });
    const trickled = await trickle;
    const after = (await fleet.server.request<Journal>('journal', {}, 60_000))!;
    return {
      log,
      prefilled,
      prefillMs: before.prefillMs,
      ingest,
      loopDelay,
      latency: { ...phase.all, n: conn.connected },
      rowsAtEnd: after.rows,
      pruned: before.rows + ingest.acked + trickled.acked - after.rows,
      pruning: {
        steps: after.pruning.steps - before.pruning.steps,
        rowsPerSec: ((after.pruning.rows - before.pruning.rows) / Math.max(1e-3, after.pruning.ms - before.pruning.ms)) * 1000,
        maxStepMs: after.pruning.maxMs,
      },
    };
  } finally {
    client.close();
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Api = ReturnType<typeof createDeskClient>['api'];

/** Sends notifications with `concurrency` in flight for `ms`; acks per second and ack latency. */
async function ingestFor(api: Api, ms: number, concurrency: number): Promise<RetentionRun['ingest']> {
  const latency = new Histogram();
  const started = performance.now();
  const deadline = started + ms;
  let failed = 0;
  const worker = async (w: number) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const sent = performance.now();
      try {
        await api.feeds.pushNotification.mutate({ title: `bench ${w}.${i}`, severity: 'info' });
        latency.add(performance.now() - sent);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    acked: latency.count,
    perSec: latency.count / seconds,
    p50: latency.percentile(50),
    p99: latency.percentile(99),
    max: latency.max,
    failed,
  };
}
