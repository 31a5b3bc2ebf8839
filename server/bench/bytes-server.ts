/**
 * The desk for the bytes phase, as its own process: the simulator at its default rate (after a
 * warm-up that opens positions and moves agents and tasks), permessage-deflate on or off
 * (`BENCH_DEFLATE=1`). The runner asks it for CPU time and memory over IPC.
 */
import { startApp } from '../app';
import { announceReady, serveRequests } from './procs';

const deflate = process.env.BENCH_DEFLATE === '1';
const warmupTicks = Number(process.env.BENCH_WARMUP_TICKS ?? 2000);

const app = await startApp({
  port: 0,
  sim: { enabled: false, seed: 42 },
  statsIntervalMs: 3_600_000,
  maxConnectionsPerIp: 1_000_000,
  limits: { maxSubscriptions: 1000 },
  wsDeflate: deflate,
});
// A desk that has traded for a while: open positions, agents and tasks with history.
app.sim.step(warmupTicks);

const gc = (globalThis as { gc?: () => void }).gc;
serveRequests({
  start: () => app.sim.start(),
  stop: () => app.sim.stop(),
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  memory: () => {
    gc?.();
    const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
    return { heapUsed, rss, external, arrayBuffers };
  },
  status: () => ({ connections: app.wss.clients.size, ticksPerSecond: app.sim.status.ticksPerSecond }),
});
announceReady({ url: app.url.replace(/^http/, 'ws') + '/trpc' });
