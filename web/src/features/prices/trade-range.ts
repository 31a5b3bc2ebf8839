import type { Trade } from '../../../../shared/index';

/**
 * The span of time the chart's bars hold, ms: from the oldest bar's open to `to` (exclusive;
 * `Infinity` while the bars reach the live edge). `end` is where the newest bar held ends, what a
 * span counted back from the top is measured from.
 */
export interface BarSpan {
  from: number;
  to: number;
  end: number;
}

/**
 * Trades read from `history.trades` for the symbol: every trade with `from <= ts < to`, none
 * missing (a range is added only once all its pages are read). `to` is `Infinity` for a range
 * read up to the newest trade then; the live stream, subscribed before it was read, has the rest.
 */
export interface TradeRange {
  from: number;
  to: number;
  /** Oldest first, one per id. */
  trades: readonly Trade[];
  /** The oldest were dropped to stay within the most trades held: nothing older is read. */
  capped: boolean;
}

/** A range of time to read from `history.trades`, `to` exclusive (`Infinity`: up to the newest). */
export interface TimeRange {
  from: number;
  to: number;
}

const byTime = (a: Trade, b: Trade) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The next range to read so that `held` covers all of `bars`: above what is held first (the bars
 * moved on towards the live edge), then below it (the chart paged back), each at most `spanMs`
 * long. Null once the bars are covered, or when `held` is capped (see `withRange`): the oldest
 * bars then go without markers rather than memory growing.
 */
export function nextRange(held: TradeRange | null, bars: BarSpan, spanMs: number): TimeRange | null {
  if (bars.from >= bars.to) return null;
  const covered = held !== null && held.from < bars.to && held.to > bars.from ? held : null;
  if (covered === null) return { from: Math.max(bars.from, Math.min(bars.to, bars.end) - spanMs), to: bars.to };
  if (covered.to < bars.to) {
    // Up to the live edge in one range once it is near: the stream only has what came after it was subscribed.
    const top = covered.to + spanMs;
    return { from: covered.to, to: top >= Math.min(bars.to, bars.end) ? bars.to : top };
  }
  if (covered.from > bars.from && !covered.capped) return { from: Math.max(bars.from, covered.from - spanMs), to: covered.from };
  return null;
}

/**
 * `held` with `trades`, every trade of `range`, added: one range when they touch or overlap,
 * `range` alone when they do not (the bars moved away from what was held). Then cut to `bars`
 * and to the newest `maxTrades`.
 */
export function withRange(held: TradeRange | null, range: TimeRange, trades: readonly Trade[], bars: BarSpan, maxTrades: number): TradeRange | null {
  const inRange = trades.filter((t) => t.ts >= range.from && t.ts < range.to);
  const joins = held !== null && range.to >= held.from && range.from <= held.to;
  const next: TradeRange = joins
    ? { from: Math.min(held.from, range.from), to: Math.max(held.to, range.to), trades: uniqueSorted([...held.trades, ...inRange]), capped: held.capped && range.from >= held.from }
    : { from: range.from, to: range.to, trades: uniqueSorted(inRange), capped: false };
  return capOldest(cutTo(next, bars), maxTrades);
}

/**
 * `held` with trades of the live stream added: while it reaches the live edge (`to` is
 * `Infinity`), each new trade extends it, so it stays whole however many the stream has dropped
 * since. Otherwise they are left to the range read once the bars reach them.
 */
export function withLive(held: TradeRange | null, trades: readonly Trade[], bars: BarSpan, maxTrades: number): TradeRange | null {
  if (held === null || held.to !== Infinity) return held;
  const fresh = trades.filter((t) => t.ts >= held.from);
  if (fresh.length === 0) return held;
  return capOldest(cutTo({ ...held, trades: uniqueSorted([...held.trades, ...fresh]) }, bars), maxTrades);
}

/**
 * The newest `maxTrades` of `held`: when there are more, the oldest go, all of a timestamp at
 * once (so what is held stays every trade from its `from`), and it is marked capped.
 */
export function capOldest(held: TradeRange | null, maxTrades: number): TradeRange | null {
  if (held === null || held.trades.length <= maxTrades) return held;
  const drop = held.trades[held.trades.length - maxTrades - 1]!.ts;
  const trades = held.trades.filter((t) => t.ts > drop);
  return { from: drop + 1, to: held.to, trades, capped: true };
}

/** `held` within `bars` only (null when nothing of it is left): what the chart no longer holds bars for goes. */
export function cutTo(held: TradeRange | null, bars: BarSpan): TradeRange | null {
  if (held === null) return null;
  const from = Math.max(held.from, bars.from);
  const to = Math.min(held.to, bars.to);
  if (from >= to) return null;
  if (from === held.from && to === held.to) return held;
  // Bars dropped from the top free room: it may read further back again.
  return { from, to, trades: held.trades.filter((t) => t.ts >= from && t.ts < to), capped: held.capped && to === held.to };
}

/**
 * The trades to mark: those read from history and those of the live stream, one per id, within
 * the bars held, oldest first.
 */
export function markedTrades(held: TradeRange | null, live: readonly Trade[], bars: BarSpan): Trade[] {
  const byId = new Map<string, Trade>();
  const within = (t: Trade) => t.ts >= bars.from && t.ts < bars.to;
  for (const t of held?.trades ?? []) if (within(t)) byId.set(t.id, t);
  for (const t of live) if (within(t)) byId.set(t.id, t);
  return [...byId.values()].sort(byTime);
}

function uniqueSorted(trades: readonly Trade[]): Trade[] {
  const byId = new Map<string, Trade>();
  for (const t of trades) byId.set(t.id, t);
  return [...byId.values()].sort(byTime);
}
