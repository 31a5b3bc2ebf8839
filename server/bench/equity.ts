/**
 * The portfolio's history in `npm run bench`: what sampling it costs the tick path (ticks
 * committed per second with the equity history kept and not, alternating, in one process, every
 * tick moving the portfolio) and how long `equityHistory` takes to answer from two hours of it.
 */
import { openDatabase } from '../persist/open-database';
import { EquityArchive } from '../persist/equity-archive';
import { readEquityHistory } from '../store/equity-history';
import { createDesk, type Desk } from '../store/desk';
import { median } from './stats';

export interface EquityResult {
  /** Ticks committed per second (median of the rounds), each of a held symbol. */
  ticksPerSec: { on: number; off: number };
  /** on / off: 1 is no cost. */
  ratio: number;
  /** This process's CPU time per tick (median of the rounds), µs: less moved by other processes than wall time. */
  cpuUsPerTick: { on: number; off: number };
  rounds: number;
  ticksPerRound: number;
  /** `equityHistory` over two hours of one sample a second, ms (median of `queries`). */
  queryMs: { lastHour1s: number; allAuto: number };
  queries: number;
}

/** Symbols held, so that each tick of one moves a position and the portfolio. */
const HELD = Array.from({ length: 8 }, (_, i) => `EQ${i}`);

/** Buys one of each of `symbols` at 100, so every later tick of them changes the portfolio. */
export function holdPositions(desk: Pick<Desk, 'market'>, symbols: readonly string[]): void {
  for (const symbol of symbols) {
    desk.market.setPrice({ symbol, price: 100 });
    desk.market.executeTrade({ symbol, side: 'buy', qty: 1 });
  }
}

export function measureEquity(options: { rounds?: number; ticksPerRound?: number; queries?: number } = {}): EquityResult {
  const rounds = options.rounds ?? 9;
  const ticksPerRound = options.ticksPerRound ?? 10_000;
  const queries = options.queries ?? 20;
  return { ...measureTickPath(rounds, ticksPerRound), rounds, ticksPerRound, queryMs: measureQuery(queries), queries };
}

/**
 * Rounds alternate on, off, on, …, so a change of machine load falls on both. The journals are in
 * memory: a file's writes would hide the CPU the history costs in the noise of the disk.
 */
function measureTickPath(rounds: number, ticksPerRound: number) {
  const desks = {
    on: createDesk({ journal: { path: ':memory:' }, equity: true }),
    off: createDesk({ journal: { path: ':memory:' }, equity: false }),
  };
  holdPositions(desks.on, HELD);
  holdPositions(desks.off, HELD);
  const rates = { on: [] as number[], off: [] as number[] };
  const cpu = { on: [] as number[], off: [] as number[] };
  let seq = 0;
  try {
    for (let r = 0; r < rounds * 2; r++) {
      const which = r % 2 === 0 ? 'on' : 'off';
      const desk = desks[which];
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < ticksPerRound; i++, seq++) {
        desk.hub.commit((tx) => desk.market.writeTick(tx, HELD[seq % HELD.length]!, 100 + (seq % 97) * 0.01));
        // The journal's batch of latest values, as its 100 ms timer writes it.
        if (i % 500 === 499) desk.journal!.flushLatest();
      }
      rates[which].push(ticksPerRound / ((performance.now() - started) / 1000));
      const used = process.cpuUsage(cpuBefore);
      cpu[which].push((used.user + used.system) / ticksPerRound);
    }
  } finally {
    desks.on.journal!.close();
    desks.off.journal!.close();
  }
  const on = median(rates.on);
  const off = median(rates.off);
  const us = (values: number[]) => Math.round(median(values) * 10) / 10;
  return { ticksPerSec: { on: Math.round(on), off: Math.round(off) }, ratio: Math.round((on / off) * 1000) / 1000, cpuUsPerTick: { on: us(cpu.on), off: us(cpu.off) } };
}

/** Two hours of one sample a second (as the journal's batches write them), then the answers a dashboard asks for. */
function measureQuery(queries: number) {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const db = openDatabase(':memory:');
  const archive = new EquityArchive(db);
  try {
    for (let s = 7200; s > 0; s--) {
      const equity = 1_000_000 + Math.sin(s / 60) * 5_000;
      archive.add([{ ts: now - s * 1000, equity, cash: 990_000, realizedPnl: 0, unrealizedPnl: equity - 1_000_000 }]);
    }
    const time = (input: Parameters<Desk['equityHistory']>[0], points: number) => {
      const ms: number[] = [];
      for (let i = 0; i <= queries; i++) {
        const started = performance.now();
        const answer = readEquityHistory(archive, input, now);
        if (i > 0) ms.push(performance.now() - started);
        if (answer.points.length < points) throw new Error(`expected ${points} points, got ${answer.points.length}`);
      }
      return Math.round(median(ms) * 100) / 100;
    };
    return {
      lastHour1s: time({ resolution: '1s', from: now - 1800_000, limit: 2000 }, 1800),
      allAuto: time({ resolution: 'auto', limit: 2000 }, 120),
    };
  } finally {
    db.close();
  }
}
