import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDesk } from '../store/desk';

const MINUTE = 60_000;

describe('the candle archive', () => {
  it('keeps every bar of ticks that touch no table on their own, also a bar that closed before the batch was written', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'candle-archive-')), 'desk.db');
    const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
    const desk = createDesk({ journal: { path } });
    // Simulator-style ticks (no mutation): latest-class commits, written with the next batch.
    for (let i = 0; i < 30; i++) {
      desk.clock.at(t0 + i * 20_000, () => desk.hub.commit((tx) => desk.market.writeTick(tx, 'ARCH', 100 + i)));
    }
    const page = desk.candles({ symbol: 'ARCH', interval: '1m', limit: 100 });
    expect(page.candles.map((c) => [c.openTime - t0, c.open, c.close, c.ticks])).toEqual(
      Array.from({ length: 10 }, (_, m) => [m * MINUTE, 100 + 3 * m, 102 + 3 * m, 3]),
    );
    expect(page.nextBefore).toBeNull();
    desk.journal!.close();

    const reopened = createDesk({ journal: { path } });
    expect(reopened.candles({ symbol: 'ARCH', interval: '1m', limit: 100 })).toEqual(page);
    reopened.journal!.close();
  });

  it('prunes closed bars by age per interval, and the retention of one interval leaves the others alone', () => {
    const now = Date.now();
    const desk = createDesk({ journal: { path: ':memory:', now: () => now }, candleRetention: { '1s': 5_000 } });
    for (let s = 0; s < 20; s++) desk.clock.at(now - 20_000 + s * 1_000, () => desk.hub.commit((tx) => desk.market.writeTick(tx, 'PRUNE', 50 + s)));
    desk.journal!.flushLatest();
    expect(desk.candles({ symbol: 'PRUNE', interval: '1s', limit: 100 }).candles).toHaveLength(20);
    while (desk.journal!.prune() > 0);
    const seconds = desk.candles({ symbol: 'PRUNE', interval: '1s', limit: 100 }).candles;
    expect(seconds.map((c) => c.openTime)).toEqual(Array.from({ length: 5 }, (_, i) => Math.floor((now - 5_000) / 1000) * 1000 + i * 1000).filter((t) => t >= now - 5_000));
    expect(desk.candles({ symbol: 'PRUNE', interval: '1h', limit: 10 }).candles.reduce((n, c) => n + c.ticks, 0)).toBe(20);
    desk.journal!.close();
  });
});
