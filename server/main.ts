import { join } from 'node:path';
import { startApp } from './app';
import { parseEnv } from './env';

let env;
try {
  env = parseEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const app = await startApp({
  port: env.PORT,
  host: env.HOST,
  staticDir: env.DESK_STATIC_DIR,
  highWaterMark: env.DESK_HIGH_WATER_MARK,
  desk: {
    hub: { replayCapacity: env.DESK_REPLAY_CAPACITY, maxQueue: env.DESK_MAX_QUEUE },
    market: { alertsLimit: env.DESK_ALERTS_LIMIT },
    metrics: { batchSize: env.DESK_METRICS_BATCH, flushMs: env.DESK_METRICS_FLUSH_MS },
    journal: {
      path: env.DESK_DB ?? join(env.DESK_DATA_DIR, 'desk.db'),
      synchronous: env.DESK_DB_SYNC,
      retainEvents: env.DESK_RETAIN_EVENTS,
      retainMs: env.DESK_RETAIN_HOURS * 3600 * 1000,
    },
  },
  sim: { enabled: env.DESK_SIM, ticksPerSecond: env.DESK_SIM_TPS, symbols: env.DESK_SIM_SYMBOLS, seed: env.DESK_SIM_SEED },
});
console.log(`livedesk listening on ${app.url} (tRPC: ${app.url}/trpc, WebSocket: ${app.wsUrl})`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: draining`);
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
