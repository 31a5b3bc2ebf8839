import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowOf } from './bar-window';

const barsOf = (times: number[]) => [...new Set(times)].sort((a, b) => a - b).map((openTime) => ({ openTime }));

describe('the bars a chart keeps', () => {
  it('keeps every bar in view and cap of them in all (more only for a wider view), the newest at the live edge', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 120 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 10 }), fc.option(fc.tuple(fc.nat(), fc.nat({ max: 60 })), { nil: undefined }), (times, cap, slack, look) => {
        const bars = barsOf(times);
        const view = look === undefined || bars.length === 0 ? ({ live: true } as const) : { live: false as const, from: bars[look[0] % bars.length]!.openTime, to: bars[Math.min(bars.length - 1, (look[0] % bars.length) + look[1])]!.openTime };
        const window = windowOf(bars, view, cap, slack);
        if (bars.length <= cap + slack) {
          expect(window).toBeNull();
          return;
        }
        expect(window).not.toBeNull();
        const { start, end } = window!;
        expect(0 <= start && start < end && end <= bars.length).toBe(true);
        if (view.live) {
          expect({ start, end }).toEqual({ start: bars.length - cap, end: bars.length });
          return;
        }
        const inView = bars.filter((b) => b.openTime >= view.from && b.openTime <= view.to).length;
        expect(end - start).toBe(Math.max(cap, inView));
        expect(bars[start]!.openTime).toBeLessThanOrEqual(view.from);
        expect(bars[end - 1]!.openTime).toBeGreaterThanOrEqual(view.to);
      }),
      { numRuns: 100, seed: 15 },
    );
  });

  it('keeps as many on each side of the view as fit, and cuts nothing until past the slack', () => {
    const bars = barsOf(Array.from({ length: 20 }, (_, i) => i));
    expect(windowOf(bars, { live: true }, 15, 5)).toBeNull();
    expect(windowOf(bars, { live: true }, 10, 5)).toEqual({ start: 10, end: 20 });
    expect(windowOf(bars, { live: false, from: 9, to: 10 }, 6, 0)).toEqual({ start: 7, end: 13 });
    expect(windowOf(bars, { live: false, from: 1, to: 1 }, 6, 0)).toEqual({ start: 0, end: 6 });
  });
});
