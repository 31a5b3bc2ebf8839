import { describe, expect, it } from 'vitest';
import { idRangeOfTimes, type TimeIndex } from './history-time';

/** Commits 1..n recorded at `times[id - 1]`, as the journal's time index orders them. */
function indexOf(times: number[]): TimeIndex {
  const rows = times.map((ts, i) => ({ id: i + 1, ts })).sort((a, b) => a.ts - b.ts || a.id - b.id);
  return {
    lastBefore: (ts) => rows.filter((r) => r.ts < ts).at(-1)?.id ?? null,
    firstFrom: (ts) => rows.find((r) => r.ts >= ts)?.id ?? null,
  };
}

describe('the ids of a time range', () => {
  it('lie between the last commit recorded before `from` and the first at or after `to`, widened by the slack', () => {
    const index = indexOf([10, 20, 30, 40, 50]);
    expect(idRangeOfTimes(index, 30, 45, 0)).toEqual({ after: 2, before: 5 });
    expect(idRangeOfTimes(index, 30, 45, 10)).toEqual({ after: 1 });
    expect(idRangeOfTimes(index, undefined, 25, 0)).toEqual({ before: 3 });
  });

  it('are open where nothing lies beyond a bound, or no bound is given', () => {
    const index = indexOf([10, 20]);
    expect(idRangeOfTimes(index, 5, 100, 0)).toEqual({});
    expect(idRangeOfTimes(index, undefined, undefined, 0)).toEqual({});
    expect(idRangeOfTimes(indexOf([]), 5, 10, 0)).toEqual({});
  });
});
