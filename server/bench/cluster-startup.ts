import { Redis } from 'ioredis';
import { startApp } from '../app';
import { CommandLog } from '../cluster/command-log';
import type { Command } from '../store/commands';
import { startBenchRedis } from './redis';

export interface ClusterStartupResult {
  /** Commands in the cluster's history when the new instance starts. */
  history: number;
  snapshotEvery: number;
  /** How long writing the history and folding it on the first instance took, ms. */
  fillMs: number;
  /** Entries left in the Redis stream after trimming. */
  streamLength: number;
  /** Redis `used_memory` at the end, bytes. */
  redisBytes: number;
  /** Size of the newest snapshot (gzipped), bytes. */
  snapshotBytes: number;
  /** From `startApp` to listening (snapshot loaded, tail folded), and to `/ready` 200, ms. */
  listenMs: number;
  readyMs: number;
  /** The snapshot the new instance started from, and the commands it folded after it. */
  restoredSeq: number;
  tailFolded: number;
}

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'TSLA', 'META', 'BTC-USD'];

/** Mostly ticks, with custom events and trades among them, so snapshots carry full replay buffers. */
function commandAt(i: number, prices: number[]): Command {
  const ts = Date.now();
  if (i % 100 === 50) return { path: 'feeds.broadcastCustom', input: { type: 'bench', data: i }, ts } as Command;
  const s = i % SYMBOLS.length;
  if (i % 1000 === 500) return { path: 'market.executeTrade', input: { symbol: SYMBOLS[s]!, side: i % 2000 === 500 ? 'buy' : 'sell', qty: 1 }, ts } as Command;
  prices[s] = Math.max(1, prices[s]! * (1 + (((i * 7919) % 200) - 100) / 100_000));
  return { path: 'sim.tick', input: { symbol: SYMBOLS[s]!, price: Math.round(prices[s]! * 100) / 100 }, ts } as Command;
}

/**
 * Start-up of a new cluster instance on a long history: a first instance folds `history` (plus
 * one snapshot interval less one, so the newest snapshot is as far behind as it gets) commands
 * written straight into the log (storing snapshots and trimming as it goes), then a new
 * instance starts and is timed until it listens and until `/ready` says 200. Everything on
 * 127.0.0.1, on a bench-owned redis-server.
 */
export async function measureClusterStartup(options: { history: number; snapshotEvery?: number }): Promise<ClusterStartupResult> {
  const snapshotEvery = options.snapshotEvery ?? 10_000;
  // The worst case: the newest snapshot is a whole interval behind the head, all to be folded.
  const history = options.history + snapshotEvery - 1;
  const redis = await startBenchRedis();
  const prefix = `startup-${process.pid}`;
  const cluster = { url: redis.url, prefix, snapshotEvery };
  const apps: Array<{ stop(): Promise<void> }> = [];
  const log = new CommandLog({ url: redis.url, prefix });
  const inspect = new Redis(redis.url);
  try {
    const first = await startApp({ sim: { enabled: false }, cluster });
    apps.push(first);
    await log.connect();
    const filled = Date.now();
    const prices = SYMBOLS.map((_, i) => 100 + i * 10);
    const batch = 2000;
    for (let i = 0; i < history; i += batch) {
      const writes: Promise<void>[] = [];
      for (let j = i; j < Math.min(history, i + batch); j++) writes.push(log.submit(commandAt(j, prices), 'bench:fill'));
      await Promise.all(writes);
      // Keep the first instance's fold close behind, as in a live cluster.
      while ((first.cluster?.status().seq ?? 0) < i - 20 * batch) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    while ((first.cluster?.status().seq ?? 0) < history || first.cluster?.status().snapshots.busy) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const fillMs = Date.now() - filled;

    const t0 = performance.now();
    const fresh = await startApp({ sim: { enabled: false }, cluster });
    apps.push(fresh);
    const listenMs = performance.now() - t0;
    while ((await fetch(`${fresh.url}/ready`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
    const readyMs = performance.now() - t0;
    const status = fresh.cluster!.status();
    const restoredSeq = status.snapshots.restoredFrom ?? 0;
    const [newest] = await inspect.zrevrange(`${prefix}:snapshots`, 0, 0);
    const memory = await inspect.info('memory');
    return {
      history,
      snapshotEvery,
      fillMs,
      streamLength: await inspect.xlen(`${prefix}:commands`),
      redisBytes: Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0),
      snapshotBytes: newest ? await inspect.strlen(`${prefix}:snapshot:${newest.split('|')[0]}`) : 0,
      listenMs: Math.round(listenMs),
      readyMs: Math.round(readyMs),
      restoredSeq,
      tailFolded: (status.seq ?? 0) - restoredSeq,
    };
  } finally {
    for (const app of apps.reverse()) await app.stop();
    log.close();
    inspect.disconnect();
    await redis.stop();
  }
}
