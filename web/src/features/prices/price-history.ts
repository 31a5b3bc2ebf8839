import type { PriceTick } from '../../../../shared/index';

/** Recent prices per symbol: parallel arrays of times (seconds, as charts want) and prices. */
export interface SymbolHistory {
  t: number[];
  p: number[];
}

export type PriceHistory = Readonly<Record<string, SymbolHistory>>;

/**
 * Appends ticks newer than what each symbol already has, keeping the newest `maxPoints`. Symbols
 * without new ticks keep their arrays (same references), so their sparklines do not re-render.
 */
export function appendPriceHistory(history: PriceHistory, ticks: readonly PriceTick[], maxPoints: number): PriceHistory {
  let next: Record<string, SymbolHistory> | null = null;
  for (const tick of ticks) {
    const current = (next ?? history)[tick.symbol];
    const lastT = current?.t[current.t.length - 1];
    const t = tick.ts / 1000;
    if (lastT !== undefined && t < lastT) continue;
    if (lastT !== undefined && t === lastT && current?.p[current.p.length - 1] === tick.price) continue;
    next ??= { ...history };
    const base = current ?? { t: [], p: [] };
    const drop = Math.max(0, base.t.length + 1 - maxPoints);
    next[tick.symbol] = { t: [...base.t.slice(drop), t], p: [...base.p.slice(drop), tick.price] };
  }
  return next ?? history;
}

/** The ticks a frame's messages carry (snapshot items or upserts). */
export function ticksOf(messages: readonly { type: string; items?: PriceTick[]; upserts?: PriceTick[] }[]): PriceTick[] {
  const out: PriceTick[] = [];
  for (const m of messages) out.push(...(m.items ?? m.upserts ?? []));
  return out;
}
