import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!hasChromium)('the equity curve, in Chromium', () => {
  const desk = useDashboard();
  /** What the desk answers for the whole history, as `market.equityHistory` does. */
  const server = () => desk.app.desk.equityHistory({ resolution: 'auto', limit: 2000 });
  /** The curve's figures and size as the page shows them. */
  const shown = async (page: Page) => {
    const value = async (testId: string) => {
      const raw = await page.getByTestId(testId).getAttribute('data-value');
      return raw === '' || raw === null ? null : Number(raw);
    };
    const curve = page.getByTestId('equity-curve');
    return {
      points: Number(await curve.getAttribute('data-points')),
      resolution: await curve.getAttribute('data-resolution'),
      lastEquity: Number(await curve.getAttribute('data-last-equity')),
      drawdown: await value('equity-drawdown'),
      maxDrawdown: await value('equity-max-drawdown'),
      dayPnl: await value('equity-day-pnl'),
    };
  };
  const expected = () => {
    const answer = server();
    const { drawdown, maxDrawdown, dayPnl } = answer.summary;
    return { points: answer.points.length, resolution: answer.resolution, lastEquity: answer.points.at(-1)!.equity, drawdown, maxDrawdown, dayPnl };
  };

  it('shows the stored history on first load, grows live, and its drawdown and day P&L are the desk’s', async () => {
    const market = desk.app.desk.market;
    // A past before the page opens: a buy, then the price up and down, a second or more apart.
    market.setPrice({ symbol: 'EQC', price: 100 });
    market.executeTrade({ symbol: 'EQC', side: 'buy', qty: 1_000 });
    for (const price of [110, 95, 104]) {
      await sleep(1_100);
      market.setPrice({ symbol: 'EQC', price });
    }
    const past = expected();
    expect(past.points).toBeGreaterThanOrEqual(4);
    expect(past.maxDrawdown).toBeLessThan(past.drawdown);

    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('market.equityHistory')) asked.push(request.url());
    });
    await expect.poll(() => shown(page), { timeout: WAIT }).toEqual(past);
    expect(await page.getByTestId('equity-curve').getAttribute('aria-label')).toMatch(/^Equity over 1 hour: from .* to .*, peak /);
    expect(await page.getByTestId('equity-drawdown').textContent()).toMatch(/^-[\d,]+\.\d\d \(-\d+\.\d\d %\)$/);

    // Live: each change lands in the curve without asking the history again.
    for (const price of [90, 112]) {
      await sleep(1_100);
      market.setPrice({ symbol: 'EQC', price });
      const now = expected();
      await expect.poll(() => shown(page), { timeout: WAIT }).toEqual(now);
    }
    expect((await shown(page)).points).toBe(past.points + 2);
    expect(asked.length).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
