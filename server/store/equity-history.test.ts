import { describe, expect, it } from 'vitest';
import { createDesk } from './desk';
import { pickResolution } from './equity-history';

describe('equity history resolution', () => {
  it('picks the finest resolution that holds the range and fits the limit, else the coarsest, truncated', () => {
    const counts = { '1s': 3_000, '1m': 50, '1h': 1 };
    const pick = (limit: number, holds = (_r: string) => true) => pickResolution({ limit, holdsRange: holds, count: (r) => counts[r] });
    expect(pick(5_000)).toEqual({ resolution: '1s', truncated: false });
    expect(pick(2_000)).toEqual({ resolution: '1m', truncated: false });
    expect(pick(5_000, (r) => r !== '1s')).toEqual({ resolution: '1m', truncated: false });
    expect(pick(10)).toEqual({ resolution: '1h', truncated: false });
    counts['1h'] = 11;
    expect(pick(10)).toEqual({ resolution: '1h', truncated: true });
  });

  it('goes coarser for a range reaching back past the 1 s retention once its buckets are pruned, not before', () => {
    const t0 = Date.UTC(2026, 11, 1, 10, 0, 0);
    let now = t0;
    const desk = createDesk({ journal: { path: ':memory:', now: () => now }, market: { now: () => now }, equityRetention: { '1s': 60_000 } });
    desk.market.executeTrade({ symbol: 'RES', side: 'buy', qty: 10, price: 100 });
    for (let i = 1; i <= 360; i++) {
      now = t0 + i * 500;
      desk.hub.commit((tx) => desk.market.writeTick(tx, 'RES', 100 + (i % 9)));
      if (i % 4 === 0) desk.journal!.flushLatest();
    }
    const auto = (from?: number) => desk.equityHistory({ resolution: 'auto', limit: 2000, ...(from === undefined ? {} : { from }) });
    // Nothing pruned yet: the 1 s buckets still hold everything, also from before the first sample.
    expect(auto(t0 - 3_600_000).resolution).toBe('1s');
    while (desk.journal!.prune() > 0);
    expect(auto(t0).resolution).toBe('1m');
    expect(auto().resolution).toBe('1m');
    const recent = auto(now - 30_000);
    expect(recent.resolution).toBe('1s');
    expect(recent.points.length).toBe(31);
    expect(desk.equityHistory({ resolution: '1s', limit: 2000 }).points[0]!.ts).toBeGreaterThanOrEqual(now - 60_000);
    desk.journal!.close();
  });
});
