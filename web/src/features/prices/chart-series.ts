import type { Candle } from '../../../../shared/index';
import type { SymbolHistory } from './price-history';

/**
 * The chart's points: the closes of the bars the desk kept (the past, also for a page opened just
 * now), then the ticks this page received since the newest bar opened. Times in seconds.
 */
export function chartSeries(candles: readonly Candle[], live: SymbolHistory | undefined): SymbolHistory {
  if (candles.length === 0) return live ?? { t: [], p: [] };
  const t = candles.map((c) => c.openTime / 1000);
  const p = candles.map((c) => c.close);
  const after = t[t.length - 1]!;
  if (live) {
    for (let i = 0; i < live.t.length; i++) {
      if (live.t[i]! <= after) continue;
      t.push(live.t[i]!);
      p.push(live.p[i]!);
    }
  }
  return { t, p };
}
