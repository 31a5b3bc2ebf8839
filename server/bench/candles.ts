/**
 * Candles in `npm run bench`: how long one day of 1 m bars of one symbol (1,440 bars) takes to
 * load through `market.candles` over a real WebSocket, and what keeping candles costs the tick
 * path (ticks committed per second with candles on and off, alternating, in one process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../app';
import { createDesk } from '../store/desk';
import { createDeskClient } from '../../shared/node';
import { median } from './stats';

export interface CandlesResult {
  bars: number;
  /** One query of all 1,440 bars, ms: median and max of `loads`. */
  loadMs: { median: number; max: number };
  /** The same day paged back 500 bars at a time, ms (median). */
  pagedMs: number;
  loads: number;
  /** Ticks committed per second (median of the rounds). */
  ticksPerSec: { on: number; off: number };
  /** on / off: 1 is no cost. */
  ratio: number;
  rounds: number;
  ticksPerRound: number;
}

const DAY_MINUTES = 1_440;

export async function measureCandles(options: { loads?: number; rounds?: number; ticksPerRound?: number } = {}): Promise<CandlesResult> {
  const loads = options.loads ?? 20;
  const rounds = options.rounds ?? 9;
  const ticksPerRound = options.ticksPerRound ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-candles-'));
  try {
    const load = await measureLoad(join(dir, 'load.db'), loads);
    const tickPath = measureTickPath(dir, rounds, ticksPerRound);
    return { bars: DAY_MINUTES, ...load, loads, ...tickPath, rounds, ticksPerRound };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureLoad(path: string, loads: number) {
  // The day before this one, so retention (30 days of 1 m bars) keeps every bar.
  const T0 = Math.floor(Date.now() / 60_000) * 60_000 - DAY_MINUTES * 60_000;
  let now = T0;
  const app = await startApp({ port: 0, sim: { enabled: false }, statsIntervalMs: 3_600_000, desk: { journal: { path }, market: { now: () => now } } });
  const client = createDeskClient({ url: app.url });
  try {
    // A day of ticks, four a minute, as the simulator commits them.
    for (let minute = 0; minute < DAY_MINUTES; minute++) {
      for (let i = 0; i < 4; i++) {
        now = T0 + minute * 60_000 + i * 15_000;
        app.desk.hub.commit((tx) => app.desk.market.writeTick(tx, 'BENCH', 100 + Math.sin(minute / 30) * 5 + i * 0.01));
      }
    }
    const timeOne = async () => {
      const started = performance.now();
      const page = await client.api.market.candles.query({ symbol: 'BENCH', interval: '1m', limit: DAY_MINUTES });
      const ms = performance.now() - started;
      if (page.candles.length !== DAY_MINUTES) throw new Error(`expected ${DAY_MINUTES} bars, got ${page.candles.length}`);
      return ms;
    };
    const timePaged = async () => {
      const started = performance.now();
      let before: number | undefined;
      let bars = 0;
      do {
        const page = await client.api.market.candles.query({ symbol: 'BENCH', interval: '1m', limit: 500, ...(before === undefined ? {} : { before }) });
        bars += page.candles.length;
        before = page.nextBefore ?? undefined;
      } while (before !== undefined);
      if (bars !== DAY_MINUTES) throw new Error(`paging gave ${bars} bars`);
      return performance.now() - started;
    };
    await timeOne();
    const singles: number[] = [];
    const paged: number[] = [];
    for (let i = 0; i < loads; i++) {
      singles.push(await timeOne());
      paged.push(await timePaged());
    }
    return { loadMs: { median: round(median(singles)), max: round(Math.max(...singles)) }, pagedMs: round(median(paged)) };
  } finally {
    client.close();
    await app.stop();
  }
}

/** Rounds alternate on, off, on, …, so a change of machine load falls on both. */
function measureTickPath(dir: string, rounds: number, ticksPerRound: number) {
  const desks = {
    on: createDesk({ journal: { path: join(dir, 'on.db') }, market: { candles: true } }),
    off: createDesk({ journal: { path: join(dir, 'off.db') }, market: { candles: false } }),
  };
  const rates = { on: [] as number[], off: [] as number[] };
  let seq = 0;
  try {
    for (let r = 0; r < rounds * 2; r++) {
      const which = r % 2 === 0 ? 'on' : 'off';
      const desk = desks[which];
      const started = performance.now();
      for (let i = 0; i < ticksPerRound; i++, seq++) {
        desk.hub.commit((tx) => desk.market.writeTick(tx, `S${seq % 8}`, 100 + (seq % 97) * 0.01));
        // The journal's batch of latest values, as its 100 ms timer writes it.
        if (i % 1000 === 999) desk.journal!.flushLatest();
      }
      rates[which].push(ticksPerRound / ((performance.now() - started) / 1000));
    }
  } finally {
    desks.on.journal!.close();
    desks.off.journal!.close();
  }
  const on = median(rates.on);
  const off = median(rates.off);
  return { ticksPerSec: { on: Math.round(on), off: Math.round(off) }, ratio: Math.round((on / off) * 1000) / 1000 };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
