import { describe, expect, it } from 'vitest';
import type { Candle, CandlesPage } from '../../../../shared/index';
import { MAX_PAGE } from './candle-bars';
import { createCandleLoader } from './candle-loader';

const bar = (openTime: number, ticks = 1): Candle => ({ symbol: 'X', interval: '1s', openTime, open: 1, high: 1, low: 1, close: 1, volume: 0, ticks });

/** A `market.candles` whose answers the test gives, one call at a time. */
function pager() {
  const calls: Array<{ before: number | undefined; limit: number; answer: (page: CandlesPage) => void; fail: (error: Error) => void }> = [];
  const fetchPage = (before: number | undefined, limit: number) =>
    new Promise<CandlesPage>((answer, fail) => {
      calls.push({ before, limit, answer, fail });
    });
  return { calls, fetchPage };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the candle loader', () => {
  it('reads the newest page at once and pages back one page at a time, on request only', async () => {
    const { calls, fetchPage } = pager();
    const loader = createCandleLoader(fetchPage, 1_000, 2);
    expect(calls.map((c) => c.before)).toEqual([undefined]);
    calls[0]!.answer({ candles: [bar(2_000), bar(3_000)], nextBefore: 2_000 });
    await settle();
    expect(loader.get().series.bars.map((b) => b.openTime)).toEqual([2_000, 3_000]);
    loader.loadOlder();
    loader.loadOlder();
    expect(calls.map((c) => c.before)).toEqual([undefined, 2_000]);
    expect(loader.get().loadingOlder).toBe(true);
    calls[1]!.answer({ candles: [bar(1_000)], nextBefore: null });
    await settle();
    expect(loader.get()).toMatchObject({ loadingOlder: false, error: null });
    expect(loader.get().series.older).toBeNull();
    loader.loadOlder();
    expect(calls).toHaveLength(2);
  });

  it('says why a page failed, and reads the newest page again with the next live bar', async () => {
    const { calls, fetchPage } = pager();
    const loader = createCandleLoader(fetchPage, 1_000, 2);
    calls[0]!.fail(new Error('the desk could not write its newest bars; retry later'));
    await settle();
    expect(loader.get().error).toMatch(/retry later/);
    loader.live({ type: 'snapshot', items: [bar(5_000)], resync: false });
    expect(calls.map((c) => c.before)).toEqual([undefined, undefined]);
    calls[1]!.answer({ candles: [bar(4_000), bar(5_000, 3)], nextBefore: 4_000 });
    await settle();
    expect(loader.get().error).toBeNull();
    expect(loader.get().series.bars).toEqual([bar(4_000), bar(5_000, 3)]);
  });

  it('fetches the bars the stream skipped when the next bar opens', async () => {
    const { calls, fetchPage } = pager();
    const loader = createCandleLoader(fetchPage, 1_000, 2);
    calls[0]!.answer({ candles: [bar(1_000), bar(2_000)], nextBefore: 1_000 });
    await settle();
    loader.live({ type: 'changes', upserts: [bar(5_000)], removes: [] });
    expect(calls[1]).toMatchObject({ before: 5_000, limit: 3 });
    calls[1]!.answer({ candles: [bar(2_000, 4), bar(4_000)], nextBefore: 2_000 });
    await settle();
    expect(loader.get().series.bars).toEqual([bar(1_000), bar(2_000, 4), bar(4_000), bar(5_000)]);
  });

  it('reloads after a hole wider than a page, and drops answers meant for before the reload', async () => {
    const { calls, fetchPage } = pager();
    const loader = createCandleLoader(fetchPage, 1_000, 2);
    calls[0]!.answer({ candles: [bar(0), bar(1_000)], nextBefore: 0 });
    await settle();
    loader.loadOlder();
    const far = (MAX_PAGE + 10) * 1_000;
    loader.live({ type: 'changes', upserts: [bar(far)], removes: [] });
    expect(calls.map((c) => c.before)).toEqual([undefined, 0, undefined]);
    expect(loader.get().series.bars).toEqual([]);
    calls[1]!.answer({ candles: [bar(-1_000)], nextBefore: null });
    calls[2]!.answer({ candles: [bar(far - 1_000), bar(far)], nextBefore: far - 1_000 });
    await settle();
    expect(loader.get().series.bars.map((b) => b.openTime)).toEqual([far - 1_000, far]);
    expect(loader.get().series.older).toBe(far - 1_000);
  });

  it('cuts to its cap around where the user looks, pages forward after the newest went, and reads the newest again on reload', async () => {
    const { calls, fetchPage } = pager();
    const loader = createCandleLoader(fetchPage, 1_000, 3, { cap: 3, slack: 1 });
    calls[0]!.answer({ candles: [bar(3_000), bar(4_000), bar(5_000)], nextBefore: 3_000 });
    await settle();
    loader.live({ type: 'changes', upserts: [bar(5_000, 2)], removes: [] });
    // Scrolled back: a page before the oldest, and past cap and slack the far ends go.
    loader.view({ live: false, from: 3_000, to: 3_000 });
    loader.loadOlder();
    calls[1]!.answer({ candles: [bar(0), bar(1_000), bar(2_000)], nextBefore: null });
    await settle();
    expect(loader.get().series.bars.map((b) => b.openTime)).toEqual([2_000, 3_000, 4_000]);
    expect(loader.get().series).toMatchObject({ heldTo: 4_000, older: 2_000 });
    // The open bar moves on aside; the page forward reaches it and takes it in.
    loader.live({ type: 'changes', upserts: [bar(6_000)], removes: [] });
    expect(loader.get().series.bars.at(-1)!.openTime).toBe(4_000);
    loader.view({ live: false, from: 5_000, to: 5_000 });
    loader.loadNewer();
    loader.loadNewer();
    expect(calls.slice(2).map((c) => [c.before, c.limit])).toEqual([[6_000, 2]]);
    calls[2]!.answer({ candles: [bar(4_000), bar(5_000, 3)], nextBefore: 4_000 });
    await settle();
    expect(loader.get().series.heldTo).toBeNull();
    expect(loader.get().series.bars.map((b) => b.openTime)).toEqual([4_000, 5_000, 6_000]);
    expect(loader.get().series.bars[1]!.ticks).toBe(3);
    // Back to the live edge at once: everything again from the newest page.
    loader.reload();
    expect(calls.at(-1)!.before).toBeUndefined();
    expect(loader.get().series.bars).toEqual([]);
  });

  it('changes nothing once disposed', async () => {
    const { calls, fetchPage } = pager();
    const loader = createCandleLoader(fetchPage, 1_000, 2);
    loader.dispose();
    calls[0]!.answer({ candles: [bar(1_000)], nextBefore: null });
    loader.live({ type: 'snapshot', items: [bar(2_000)], resync: false });
    await settle();
    expect(loader.get().series.bars).toEqual([]);
  });
});
