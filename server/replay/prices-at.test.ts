import { describe, expect, it } from 'vitest';
import { createDesk } from '../store/desk';

describe('prices as of a past time', () => {
  it('are the close of the last 1 s bar that had ended by then, the session open and spread as the desk derives them', () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const desk = createDesk({ journal: { path: ':memory:' } });
    const replay = desk.replay!;
    desk.clock.at(t0, () => desk.hub.commit((tx) => desk.market.writeTick(tx, 'PX', 100, 1000)));
    replay.checkpointer.write();
    const base = new Map(desk.topics.prices.values().map((t) => [t.symbol, t]));
    // Ten seconds of ticks, three a second, each a price the second and tick name.
    for (let s = 1; s <= 10; s++) {
      for (let k = 0; k < 3; k++) {
        desk.clock.at(t0 + s * 1000 + k * 300, () => desk.hub.commit((tx) => desk.market.writeTick(tx, 'PX', 100 + s + k / 10, 1000 + s * 30 + k * 10)));
      }
    }
    desk.journal!.flushLatest();
    const live = desk.topics.prices.get('PX')!;
    // Half way through second 5: second 4 had ended, its last tick was 104.2.
    const at = replay.rebuilder.prices.tickAt('PX', t0 + 5500, base.get('PX'));
    expect(at).toMatchObject({ symbol: 'PX', price: 104.2, change: 4.2, ts: t0 + 4999 });
    expect(at!.ask - at!.bid).toBeCloseTo(Math.max(104.2 * 0.0002, 0.01), 8);
    expect(at!.volume).toBe(1000 + 4 * 30 + 20);
    // Before any bar ended after the checkpoint: the checkpoint's tick.
    expect(replay.rebuilder.prices.tickAt('PX', t0 + 999, base.get('PX'))).toEqual(base.get('PX'));
    // Once the last bar has ended: the last live price.
    expect(replay.rebuilder.prices.at(t0 + 12_000, base, t0).map((t) => [t.price, t.volume])).toEqual([[live.price, live.volume]]);
    desk.journal!.close();
  });
});
