import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;
/** 1 s bars of history: more than the chart's first page (300), so the rest comes by paging back. */
const SECONDS = 420;
/** MARKED's trades: one on each of its oldest bars, and ten a second on its newest (more than the stream's 1,000). */
const OLD_TRADES = 100;
const NEW_TRADES = 1_000;
/** The most bars the chart keeps (hooks/use-candle-series.ts), and how far past it before it cuts. */
const BAR_CAP = 3_000;
const BAR_SLACK = 600;
/** LONG's live run: more seconds than the chart keeps bars, in batches of this many. */
const LONG_SECONDS = 4_500;
const LONG_BATCH = 900;

describe.skipIf(!hasChromium)('the price chart in Chromium', () => {
  const desk = useDashboard();
  // The history, stamped by the desk's own clock before any page opens: one tick a second.
  const start = Math.floor(Date.now() / 1000) * 1000 - (SECONDS + 5) * 1000;
  const decisionAt = start + 30_000;
  // LONG's live run ends before the other symbols' history starts, so it is all in the past.
  const longFrom = start - (LONG_SECONDS + 10) * 1000;
  let decision: { id: string; tradeId: string };

  beforeAll(() => {
    const { desk: d } = desk.app;
    // In the order of the desk's clock, as a desk writes its journal (history finds a time range through it).
    d.clock.at(longFrom - 1000, () => d.hub.commit((tx) => d.market.writeTick(tx, 'LONG', 80)));
    for (let s = 0; s < SECONDS; s++) {
      d.clock.at(start + s * 1000, () => d.hub.commit((tx) => d.market.writeTick(tx, 'HIST', 100 + 5 * Math.sin(s / 20))));
      // A decision long ago that traded: the chart has to page back to show it.
      if (s === 30) {
        const { decision: made } = d.clock.at(decisionAt + 500, () =>
          d.activity.recordDecision({ agentId: 'chartist', symbol: 'HIST', action: 'buy', confidence: 0.8, reasoning: 'back to the mean', executeQty: 5 }),
        );
        decision = { id: made.id, tradeId: made.tradeId! };
      }
      // MARKED: a trade on each of its oldest bars, then more than the live stream's 1,000 on its newest.
      d.clock.at(start + s * 1000, () => d.hub.commit((tx) => d.market.writeTick(tx, 'MARKED', 50 + (s % 7))));
      const trades = s < OLD_TRADES ? 1 : s >= SECONDS - NEW_TRADES / 10 ? 10 : 0;
      for (let i = 0; i < trades; i++) d.clock.at(start + s * 1000 + 100 + i, () => d.market.executeTrade({ symbol: 'MARKED', side: i % 2 ? 'sell' : 'buy', qty: 1 }));
    }
    desk.app.sim.step(5);
    d.market.createAlertRule({ id: 'hist-ceiling', symbol: 'HIST', condition: 'above', threshold: 150, severity: 'warning' });
  });

  const chart = (page: Page) => page.getByTestId('price-chart');
  const attr = (page: Page, name: string) => chart(page).getAttribute(`data-${name}`, { timeout: WAIT });
  const num = (page: Page, name: string) => attr(page, name).then(Number);
  const timeframe = async (page: Page, tf: string) => {
    await page.getByTestId('chart-timeframes').getByRole('button', { name: tf, exact: true }).click();
    await expect.poll(() => attr(page, 'interval'), { timeout: WAIT }).toBe(tf);
  };
  const open = async (symbol = 'HIST') => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId(`select-${symbol}`).click({ timeout: WAIT });
    await expect.poll(() => attr(page, 'symbol'), { timeout: WAIT }).toBe(symbol);
    await chart(page).locator('canvas').first().waitFor({ timeout: WAIT });
    return { page, errors };
  };
  /** Drags the chart's plot `dx` pixels (to the right: back in time). */
  const drag = async (page: Page, dx: number) => {
    const box = (await chart(page).locator('.chart-canvas').boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2 + dx, y, { steps: 8 });
    await page.mouse.up();
  };

  it('shows candles from the history on first load, and switches timeframe', async () => {
    const { page, errors } = await open();
    try {
      // 1 m by default: one bar per minute the ticks touched, all there at once.
      const minutes = new Set(Array.from({ length: SECONDS }, (_, s) => Math.floor((start + s * 1000) / 60_000))).size;
      await expect.poll(() => num(page, 'bars'), { timeout: WAIT }).toBe(minutes);
      expect(await num(page, 'points')).toBe(SECONDS);
      expect(await attr(page, 'older')).toBe('none');
      await timeframe(page, '5m');
      const fives = new Set(Array.from({ length: SECONDS }, (_, s) => Math.floor((start + s * 1000) / 300_000))).size;
      await expect.poll(() => num(page, 'bars'), { timeout: WAIT }).toBe(fives);
      expect(await page.getByTestId('chart-timeframes').getByRole('button', { name: '5m' }).getAttribute('aria-pressed')).toBe('true');
      // 1 s: the newest page only, with more to page back into.
      await timeframe(page, '1s');
      await expect.poll(() => num(page, 'bars'), { timeout: WAIT }).toBe(300);
      expect(await attr(page, 'older')).toBe('more');
      expect(await num(page, 'last-time')).toBe(start + (SECONDS - 1) * 1000);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('pages back into history as the chart is scrolled left, every bar once', async () => {
    const { page, errors } = await open();
    try {
      await timeframe(page, '1s');
      await expect.poll(() => num(page, 'bars'), { timeout: WAIT }).toBe(300);
      await expect
        .poll(
          async () => {
            if ((await attr(page, 'older')) !== 'none') await drag(page, 600);
            return num(page, 'bars');
          },
          { timeout: WAIT, interval: 300 },
        )
        .toBe(SECONDS);
      // From the first second to the last, SECONDS bars: none missing, none twice.
      expect(await num(page, 'first-time')).toBe(start);
      expect(await num(page, 'last-time')).toBe(start + (SECONDS - 1) * 1000);
      expect(await num(page, 'points')).toBe(SECONDS);
      expect(await attr(page, 'older')).toBe('none');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each([
    { over: 'the WebSocket', query: '' },
    { over: 'SSE', query: '?transport=sse' },
  ])('follows the open bar live and opens the next one, over $over', async ({ query }) => {
    const { page, errors } = await openDashboard(desk.context, `${desk.app.url}/${query}`);
    try {
      await page.getByTestId('select-HIST').click({ timeout: WAIT });
      await timeframe(page, '1s');
      // The history's 300 bars, not only the live stream's first: counted before they arrived, the
      // points would jump by the whole history when they do.
      await expect.poll(() => num(page, 'bars'), { timeout: WAIT }).toBeGreaterThanOrEqual(300);
      const points = await num(page, 'points');
      const bars = await num(page, 'bars');
      // A second later than the newest bar held (an earlier case may have ticked in this one), so the ticks open a bar.
      const last = await num(page, 'last-time');
      while (Math.floor(Date.now() / 1000) * 1000 <= last) await new Promise((resolve) => setTimeout(resolve, 50));
      // Ticks now: the open bar takes them, and a new second opens a new bar.
      for (let i = 0; i < 3; i++) desk.app.desk.market.setPrice({ symbol: 'HIST', price: 101 + i });
      await expect.poll(() => num(page, 'points'), { timeout: WAIT }).toBe(points + 3);
      expect(await num(page, 'bars')).toBeGreaterThan(bars);
      await expect.poll(() => page.getByTestId('readout-close').textContent(), { timeout: WAIT }).toBe('103.00');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says the bar under the cursor in words, and follows the mouse', async () => {
    const { page } = await open();
    try {
      // 1 s bars fill the plot from edge to edge: the cursor is over a bar wherever it is.
      await timeframe(page, '1s');
      await expect.poll(() => num(page, 'bars'), { timeout: WAIT }).toBe(300);
      const readout = page.getByTestId('chart-readout');
      // Before any hover it shows the newest bar.
      await expect.poll(() => readout.textContent(), { timeout: WAIT }).toMatch(/HIST · 1s.*O [\d.,]+ ?H [\d.,]+ ?L [\d.,]+ ?C [\d.,]+ ?V /);
      const box = (await chart(page).locator('.chart-canvas').boundingBox())!;
      const at = async (fraction: number) => {
        await page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2, { steps: 3 });
        await expect.poll(() => readout.getAttribute('data-hovering'), { timeout: WAIT }).toBe('true');
        return page.getByTestId('readout-time').textContent();
      };
      const left = await at(0.15);
      const right = await at(0.75);
      expect(left).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(right).not.toBe(left);
      await page.mouse.move(box.x + box.width / 2, box.y - 40);
      await expect.poll(() => readout.getAttribute('data-hovering'), { timeout: WAIT }).toBe('false');
    } finally {
      await page.close();
    }
  });

  it('marks the desk\'s trades, and draws the average price and the alert threshold', async () => {
    const { page, errors } = await open();
    try {
      await expect.poll(() => num(page, 'markers'), { timeout: WAIT }).toBe(1);
      const lines = await attr(page, 'price-lines');
      expect(lines).toMatch(/(^| )avg@\d/);
      expect(lines).toMatch(/(^| )alert:hist-ceiling@150( |$)/);
      // A trade now: a second marker, on the newest bar.
      desk.app.desk.market.executeTrade({ symbol: 'HIST', side: 'sell', qty: 2 });
      await expect.poll(() => num(page, 'markers'), { timeout: WAIT }).toBe(2);
      // Another rule, another line; its removal takes the line away.
      desk.app.desk.market.createAlertRule({ id: 'hist-floor', symbol: 'HIST', condition: 'below', threshold: 90, severity: 'info' });
      await expect.poll(() => attr(page, 'price-lines'), { timeout: WAIT }).toMatch(/alert:hist-floor@90/);
      desk.app.desk.market.deleteAlertRule('hist-floor');
      await expect.poll(() => attr(page, 'price-lines'), { timeout: WAIT }).not.toMatch(/hist-floor/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('marks trades older than the newest 1,000 once the chart pages back to their bars, each once', async () => {
    const { page, errors } = await open('MARKED');
    try {
      await timeframe(page, '1s');
      // The newest page of bars holds the newest 1,000 trades' bars and none of the older ones'.
      await expect.poll(() => num(page, 'bars'), { timeout: WAIT }).toBe(300);
      await expect.poll(() => num(page, 'markers'), { timeout: WAIT }).toBe(NEW_TRADES);
      await expect
        .poll(
          async () => {
            if ((await attr(page, 'older')) !== 'none') await drag(page, 600);
            return num(page, 'markers');
          },
          { timeout: WAIT, interval: 300 },
        )
        .toBe(OLD_TRADES + NEW_TRADES);
      expect(await num(page, 'first-time')).toBe(start);
      expect(await num(page, 'marks-from')).toBeLessThanOrEqual(start);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('holds a bounded number of bars over a long live run at 1 s, the newest up to the open one, none missing', async () => {
    const { page, errors } = await open('LONG');
    try {
      await timeframe(page, '1s');
      // An hour and a quarter of 1 s bars, driven by ticks a second apart in the desk's time, in batches the chart follows.
      const { desk: d } = desk.app;
      const from = longFrom;
      let held = 0;
      for (let s = 0; s < LONG_SECONDS; s += LONG_BATCH) {
        for (let i = s; i < s + LONG_BATCH; i++) d.clock.at(from + i * 1000, () => d.hub.commit((tx) => d.market.writeTick(tx, 'LONG', 80 + (i % 11))));
        const newest = from + (s + LONG_BATCH - 1) * 1000;
        // Once the chart caught up: the newest bar held, every second before it back to the first held, each with its tick.
        const settled = async () => {
          const [last = 0, first = 0, bars = 0, points = 0] = await Promise.all(['last-time', 'first-time', 'bars', 'points'].map((name) => num(page, name)));
          return last === newest && points === bars && (last - first) / 1000 + 1 === bars ? bars : -1;
        };
        await expect.poll(settled, { timeout: WAIT }).toBeGreaterThan(0);
        held = await num(page, 'bars');
        expect(held).toBeLessThanOrEqual(BAR_CAP + BAR_SLACK);
      }
      // The oldest went (the first tick's among them); more are there to page back into.
      expect(held).toBeGreaterThanOrEqual(BAR_CAP);
      expect(await num(page, 'first-time')).toBeGreaterThan(from);
      expect(await attr(page, 'older')).toBe('more');
      expect(await attr(page, 'held-to')).toBe('');
      // Scrolled back, the oldest come back in and, past the cap, the newest go: the bars in view stay.
      // Zoomed out first, so a drag goes back a thousand bars, not a hundred.
      const oldest = await num(page, 'first-time');
      const box = (await chart(page).locator('.chart-canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 600);
      await expect
        .poll(
          async () => {
            if ((await attr(page, 'held-to')) === '') await drag(page, 600);
            return attr(page, 'held-to');
          },
          { timeout: WAIT, interval: 300 },
        )
        .not.toBe('');
      expect(await num(page, 'first-time')).toBeLessThan(oldest);
      expect(await num(page, 'bars')).toBeLessThanOrEqual(BAR_CAP + BAR_SLACK);
      const seen = await num(page, 'visible-from');
      expect(seen).toBeGreaterThanOrEqual(await num(page, 'first-time'));
      expect(await num(page, 'visible-to')).toBeLessThanOrEqual(await num(page, 'held-to'));
      // ▶| reads the newest again: back at the live edge, with the open bar.
      await page.getByTestId('chart-latest').click();
      await expect.poll(() => attr(page, 'held-to'), { timeout: WAIT }).toBe('');
      await expect.poll(() => num(page, 'last-time'), { timeout: WAIT }).toBe(from + (LONG_SECONDS - 1) * 1000);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('highlights the trade of a decision clicked in the Decisions panel: its symbol picked, the chart paged back and scrolled to it', async () => {
    const { page, errors } = await open('AAPL');
    try {
      await timeframe(page, '1s');
      await page.locator(`[data-testid="decision-row"][data-id="${decision.id}"] summary`).click({ timeout: WAIT });
      await expect.poll(() => attr(page, 'symbol'), { timeout: WAIT }).toBe('HIST');
      await expect.poll(() => attr(page, 'highlighted'), { timeout: WAIT }).toBe(decision.tradeId);
      const at = await num(page, 'highlight-time');
      expect(at).toBe(Math.floor(decisionAt / 1000) * 1000);
      // Its bar was older than the first page: the chart paged back to it, and shows it.
      expect(await num(page, 'first-time')).toBeLessThanOrEqual(at);
      await expect.poll(async () => (await num(page, 'visible-from')) <= at && at <= (await num(page, 'visible-to')), { timeout: WAIT }).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
