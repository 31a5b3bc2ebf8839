import type { Candle } from '../../shared/schema/candles';

/**
 * One page of bars, newest `limit` that opened before `before`: the open bar (from memory, newer
 * than any written copy of it) and the closed ones. `older(upTo, n)` gives up to n stored bars
 * that opened before `upTo`, newest first. Pages are cut by open time, which is unique per symbol
 * and interval, so paging by `nextBefore` never skips or repeats a bar.
 */
export function candlePage(
  open: Candle | undefined,
  older: (upTo: number, n: number) => Candle[],
  before: number | undefined,
  limit: number,
): { candles: Candle[]; nextBefore: number | null } {
  const cutoff = before ?? Number.MAX_SAFE_INTEGER;
  const newestFirst: Candle[] = [];
  let upTo = cutoff;
  if (open && open.openTime < cutoff) {
    newestFirst.push(open);
    upTo = open.openTime;
  }
  // One more than fits tells whether there is a page before this one.
  if (newestFirst.length <= limit) newestFirst.push(...older(upTo, limit - newestFirst.length + 1));
  const more = newestFirst.length > limit;
  const page = newestFirst.slice(0, limit);
  return { candles: page.reverse(), nextBefore: more ? page[0]!.openTime : null };
}
