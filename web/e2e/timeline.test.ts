import { describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!hasChromium)('the timeline, in Chromium', () => {
  const desk = useDashboard();

  it('scrubs the whole desk back to an event id, plays it at 100x and ends back live', async () => {
    const { market } = desk.app.desk;
    market.setPrice({ symbol: 'TML', price: 50 });
    const first = market.executeTrade({ symbol: 'TML', side: 'buy', qty: 5 });
    await sleep(300);
    market.executeTrade({ symbol: 'TML', side: 'buy', qty: 7 });
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const qty = page.getByTestId('position-qty-TML');
    const badge = page.getByTestId('connection-label');
    await expect.poll(() => qty.textContent(), { timeout: WAIT }).toBe('12');
    await expect.poll(() => badge.textContent(), { timeout: WAIT }).toBe('Live');

    // Back to the moment of the first trade: the position as it was then, every panel marked.
    await page.getByTestId('timeline-toggle').click();
    await page.getByTestId('timeline-event-id').fill(String(first.eventId));
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => qty.textContent(), { timeout: WAIT }).toBe('5');
    expect(await badge.textContent()).toBe('Replay');
    expect(await page.getByTestId('timeline-readout').textContent()).toMatch(/^Replay at \d\d:\d\d:\d\d · paused$/);
    for (const panel of ['panel-positions', 'panel-trades', 'panel-portfolio']) {
      await expect.poll(() => page.getByTestId(`${panel}-replay`).textContent(), { timeout: WAIT }).toMatch(/^replay at \d\d:\d\d:\d\d$/);
    }
    // Still in the past while the desk goes on.
    market.executeTrade({ symbol: 'TML', side: 'buy', qty: 1 });
    await sleep(500);
    expect(await qty.textContent()).toBe('5');

    // Played at 100x: the recorded trades arrive, the replay reaches now and the desk is live again.
    await page.getByTestId('timeline-play-100').click();
    await expect.poll(() => badge.textContent(), { timeout: WAIT }).toBe('Live');
    await expect.poll(() => qty.textContent(), { timeout: WAIT }).toBe('13');
    expect(await page.getByTestId('panel-positions-replay').count()).toBe(0);
    expect(await page.getByTestId('timeline-readout').textContent()).toBe('Live');
    // Live for real: a new trade arrives on the same streams.
    market.executeTrade({ symbol: 'TML', side: 'sell', qty: 3 });
    await expect.poll(() => qty.textContent(), { timeout: WAIT }).toBe('10');

    expect(errors).toEqual([]);

    // A moment before the oldest one the desk can rebuild is refused in words (its query answered 404).
    await page.getByTestId('timeline-event-id').fill('1');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByTestId('timeline-refusal').textContent(), { timeout: WAIT }).toMatch(/before the oldest moment/);
    expect(await badge.textContent()).toBe('Live');
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
  }, 60_000);

  it('shows the chart and the equity curve as of the moment, and plays them forward to the present', async () => {
    const { market, clock } = desk.app.desk;
    // Prices as of a moment are the closes of the 1 s bars ended by then: TMC ticks for a while first.
    for (let i = 0; i < 8; i++) {
      market.setPrice({ symbol: 'TMC', price: 78 + (i % 3) });
      await sleep(250);
    }
    desk.app.desk.activity.setAgentStatus({ id: 'tl-bot', name: 'Timeline bot', status: 'active' });
    const { eventId, trade } = market.executeTrade({ symbol: 'TMC', side: 'buy', qty: 4 });
    const moment = trade.ts;
    // Seconds of ticks after the moment: a chart or curve of now ends well after it.
    for (let i = 1; i <= 14; i++) {
      await sleep(250);
      market.setPrice({ symbol: 'TMC', price: 80 + (i % 5) });
    }
    // A trade after the moment, the only one of its agent: no blotter shows it as of the moment.
    market.executeTrade({ symbol: 'TMC', side: 'sell', qty: 1, agentId: 'later' });
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const chart = page.getByTestId('price-chart');
    const curve = page.getByTestId('equity-curve');
    const lastBar = () => chart.getAttribute('data-last-time', { timeout: WAIT }).then((v) => (v ? Number(v) : null));
    const lastPoint = () => curve.getAttribute('data-last-ts', { timeout: WAIT }).then((v) => (v ? Number(v) : null));
    // Every replay remounts the desk: the chart is picked again, at 1 s bars.
    const showChart = async () => {
      await page.getByTestId('select-TMC').click({ timeout: WAIT });
      await expect.poll(() => chart.getAttribute('data-symbol'), { timeout: WAIT }).toBe('TMC');
      await page.getByTestId('chart-timeframes').getByRole('button', { name: '1s', exact: true }).click({ timeout: WAIT });
      await expect.poll(() => chart.getAttribute('data-interval'), { timeout: WAIT }).toBe('1s');
    };
    await showChart();
    await expect.poll(lastBar, { timeout: WAIT }).toBeGreaterThan(moment + 1_000);
    await expect.poll(lastPoint, { timeout: WAIT }).toBeGreaterThan(moment + 1_000);
    // Bars open only with ticks, and nothing ticks TMC now: this is the newest bar there is, however
    // long the page took to load (a bound from the clock instead would depend on that time).
    const liveBar = (await lastBar())!;

    await page.getByTestId('timeline-toggle').click();
    await page.getByTestId('timeline-event-id').fill(String(eventId));
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByTestId('timeline-readout').textContent(), { timeout: WAIT }).toMatch(/paused$/);
    await showChart();
    // The history the desk had then: bars and points up to the moment, none after it.
    await expect.poll(() => chart.getAttribute('data-bars'), { timeout: WAIT }).not.toBe('0');
    await expect.poll(lastPoint, { timeout: WAIT }).not.toBeNull();
    await sleep(500);
    expect(await lastBar()).toBeLessThanOrEqual(moment);
    expect(await lastPoint()).toBeLessThanOrEqual(moment);
    // Only the trade of the moment is marked, not the one after it.
    await expect.poll(() => chart.getAttribute('data-markers'), { timeout: WAIT }).toBe('1');
    // The trades blotter's history, read back from the moment: not the trade made after it.
    await page.getByTestId('trades-filter-agent').fill('later');
    // The replayed window has the trades before the moment; filtered, none: the filter applied.
    await expect.poll(() => page.getByTestId('trade-row').count(), { timeout: WAIT }).toBe(0);
    await page.getByTestId('trades-older').click();
    await expect.poll(() => page.getByTestId('trades-history').getAttribute('data-exhausted'), { timeout: WAIT }).toBe('true');
    expect(await page.getByTestId('trade-row').count()).toBe(0);
    // The agent view is read as of the moment too, and says so.
    const agentView = async () => {
      await page.getByTestId('panel-agents').getByTestId('agent-link-tl-bot').click({ timeout: WAIT });
      await page.getByTestId('agent-view').getByTestId('agent-stat-trades').waitFor({ timeout: WAIT });
      const noted = await page.getByTestId('agent-view-as-of').count();
      await page.getByTestId('agent-view-close').click();
      return noted;
    };
    expect(await agentView()).toBe(1);

    // Played at 100x to now: the replayed streams carry both on to the present, live again.
    await page.getByTestId('timeline-play-100').click();
    await showChart();
    await expect.poll(() => page.getByTestId('connection-label').textContent(), { timeout: WAIT }).toBe('Live');
    await expect.poll(lastBar, { timeout: WAIT }).toBe(liveBar);
    await expect.poll(lastPoint, { timeout: WAIT }).toBeGreaterThan(moment + 1_000);
    market.setPrice({ symbol: 'TMC', price: 90 });
    const after = clock.now();
    await expect.poll(lastBar, { timeout: WAIT }).toBeGreaterThanOrEqual(Math.floor(after / 1000) * 1000);
    await expect.poll(() => chart.getAttribute('data-markers'), { timeout: WAIT }).toBe('2');
    expect(await agentView()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
