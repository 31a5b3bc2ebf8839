/**
 * Where the user is looking, by bar open times (ms): `live` while the view reaches the newest bar
 * (it follows new bars), else the open times of the first and last bars in view.
 */
export type BarView = { live: true } | { live: false; from: number; to: number };

/** The part of a series to keep: `bars.slice(start, end)`. */
export interface BarWindow {
  start: number;
  end: number;
}

/**
 * Which of `bars` (oldest first, one per open time) to keep so the chart holds at most about `cap` bars:
 * none to drop until they are more than `cap + slack` (so it does not trim at every bar), then
 * `cap` of them. At the live edge the newest stay and the oldest go; scrolled back, the bars in
 * view stay with as many on each side as fit, and the far ends go. A view wider than `cap` is kept
 * whole. Null when nothing is to go.
 */
export function windowOf(bars: readonly { openTime: number }[], view: BarView, cap: number, slack: number): BarWindow | null {
  const n = bars.length;
  if (n <= cap + slack) return null;
  if (view.live) return { start: n - cap, end: n };
  const first = lowerBound(bars, view.from);
  const last = Math.max(first, lowerBound(bars, view.to + 1) - 1);
  const width = last - first + 1;
  const keep = Math.max(cap, width);
  const start = Math.max(0, Math.min(n - keep, first - Math.floor((keep - width) / 2)));
  return { start, end: start + keep };
}

/** The first index of `bars` that opened at or after `time`. */
function lowerBound(bars: readonly { openTime: number }[], time: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars[mid]!.openTime < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
