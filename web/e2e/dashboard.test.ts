import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatPrice, formatSigned } from '../src/lib/format';
import { hasChromium, openDashboard, ROOT, startDesk, useDashboard } from './harness';

if (!hasChromium) console.warn('Skipping the browser tests: /usr/bin/chromium is missing (apt-get install -y chromium).');

const WAIT = 15_000;

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  const desk = useDashboard();

  const textOf = (page: Page, testId: string) => page.getByTestId(testId).first().textContent({ timeout: WAIT });

  /** Waits until `testId` shows something other than `before`. */
  const changes = (page: Page, testId: string, before: string | null, timeout = WAIT) =>
    page.waitForFunction(
      ([id, old]) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        return el !== null && el.textContent !== old;
      },
      [testId, before] as const,
      { timeout },
    );

  it('loads with every panel and no console errors', async () => {
    desk.app.sim.step(16);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    for (const panel of ['portfolio', 'prices', 'positions', 'decisions', 'trades', 'agents', 'alerts', 'feeds', 'system', 'control'])
      await page.getByTestId(`panel-${panel}`).waitFor({ timeout: WAIT });
    await page.getByTestId('price-row-AAPL').waitFor({ timeout: WAIT });
    await page.getByTestId('portfolio-equity').waitFor({ timeout: WAIT });
    await page.getByTestId('stat-connections').waitFor({ timeout: WAIT });
    await expect.poll(() => textOf(page, 'latency'), { timeout: WAIT }).toMatch(/\d+ ms/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows live prices moving within 2 s of the simulator starting', async () => {
    const { page } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('price-AAPL').waitFor({ timeout: WAIT });
    const before = await textOf(page, 'price-AAPL');
    const points = Number(await page.getByTestId('price-chart').getAttribute('data-points'));
    desk.app.sim.configure({ running: true, ticksPerSecond: 80 });
    try {
      await changes(page, 'price-AAPL', before, 2_000);
      // the chart of the selected symbol streams the new points too
      await expect.poll(async () => Number(await page.getByTestId('price-chart').getAttribute('data-points')), { timeout: 5_000 }).toBeGreaterThan(points);
    } finally {
      desk.app.sim.stop();
      await page.close();
    }
  });

  it('shows the past of a symbol on first load from the desk\'s candles, and switches timeframe', async () => {
    // Ticks of the last 40 minutes, one a minute, stamped by the desk's own clock, before the page opens.
    const { desk: d } = desk.app;
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 40 * 60_000;
    for (let m = 0; m < 40; m++) d.clock.at(start + m * 60_000, () => d.hub.commit((tx) => d.market.writeTick(tx, 'HIST', 100 + m)));
    const { page } = await openDashboard(desk.context, desk.app.url);
    try {
      await page.getByTestId('select-HIST').click({ timeout: WAIT });
      const bars = () => page.getByTestId('price-chart').getAttribute('data-bars').then(Number);
      // One bar per minute, there at once: no tick arrived since the page opened.
      await expect.poll(bars, { timeout: WAIT }).toBe(40);
      await page.getByTestId('chart-timeframes').getByRole('button', { name: '5m' }).click();
      const bars5m = new Set(Array.from({ length: 40 }, (_, m) => Math.floor((start + m * 60_000) / 300_000))).size;
      await expect.poll(bars, { timeout: WAIT }).toBe(bars5m);
      expect(await page.getByTestId('chart-timeframes').getByRole('button', { name: '5m' }).getAttribute('aria-pressed')).toBe('true');
    } finally {
      await page.close();
    }
  });

  it('follows the simulator through Stop and Start: badge and buttons tell the truth, the System panel keeps moving', async () => {
    const { page } = await openDashboard(desk.context, desk.app.url);
    const badge = () => textOf(page, 'sim-status');
    try {
      await expect.poll(badge, { timeout: WAIT }).toBe('stopped');
      await page.getByTestId('sim-start').click();
      await expect.poll(badge, { timeout: WAIT }).toBe('running');
      await page.getByTestId('sim-stop').click();
      await expect.poll(badge, { timeout: WAIT }).toBe('stopped');
      // Stopped, the stats still arrive: messages sent keeps counting (every reading is one more).
      const sent = await textOf(page, 'stat-sent');
      await changes(page, 'stat-sent', sent);
      await page.getByTestId('sim-start').click();
      await expect.poll(badge, { timeout: WAIT }).toBe('running');
      expect(await page.getByTestId('sim-start').isDisabled()).toBe(true);
      expect(await page.getByTestId('sim-stop').isDisabled()).toBe(false);
    } finally {
      desk.app.sim.stop();
      await page.close();
    }
  });

  it('shows a trade submitted in one page in the positions and portfolio of another', async () => {
    const a = await openDashboard(desk.context, desk.app.url);
    const b = await openDashboard(desk.context, desk.app.url);
    await b.page.getByTestId('portfolio-cash').waitFor({ timeout: WAIT });
    const cashBefore = await textOf(b.page, 'portfolio-cash');
    await expect(b.page.getByTestId('position-row-E2E').count()).resolves.toBe(0);

    await a.page.getByTestId('control-tab-trade').click();
    await a.page.getByTestId('field-trade-symbol').fill('E2E');
    await a.page.getByTestId('field-trade-side').selectOption('buy');
    await a.page.getByTestId('field-trade-qty').fill('7');
    await a.page.getByTestId('field-trade-price').fill('100');
    await a.page.getByTestId('submit-trade').click();
    // Read-your-writes: page A says "applied" once its own trades feed shows the trade's event id.
    await expect.poll(() => textOf(a.page, 'result-trade'), { timeout: WAIT }).toBe('applied: on screen now');
    // the event id stays out of the words, for those who need it
    expect(await a.page.getByTestId('result-trade').getAttribute('data-event-id')).toMatch(/^\d+$/);

    await b.page.getByTestId('position-row-E2E').waitFor({ timeout: WAIT });
    expect(await textOf(b.page, 'position-qty-E2E')).toBe('7');
    await changes(b.page, 'portfolio-cash', cashBefore);
    const trade = b.page.getByTestId('trade-row').and(b.page.locator('[data-symbol="E2E"]'));
    await trade.waitFor({ timeout: WAIT });
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.page.close();
    await b.page.close();
  });

  it('takes packed frames and compact deltas, and shows the positions the desk holds after hundreds of ticks', async () => {
    const page = await desk.context.newPage();
    const urls: string[] = [];
    const sent: string[] = [];
    page.on('websocket', (ws) => {
      urls.push(ws.url());
      ws.on('framesent', (frame) => sent.push(String(frame.payload)));
    });
    await page.goto(desk.app.url);
    await page.getByTestId('panel-positions').waitFor({ timeout: WAIT });
    desk.app.sim.step(16);
    for (const symbol of ['AAPL', 'MSFT', 'NVDA']) desk.app.desk.market.executeTrade({ symbol, side: 'buy', qty: 3 });
    await page.getByTestId('position-row-NVDA').waitFor({ timeout: WAIT });
    // Every tick moves the held rows: each one a compact patch against the row the page holds.
    for (let i = 0; i < 10; i++) desk.app.sim.step(30);
    const held = () =>
      [...desk.app.desk.topics.positions.values()]
        .map((p) => [p.symbol, String(p.qty), formatPrice(p.lastPrice), formatMoney(p.marketValue), formatSigned(p.unrealizedPnl)])
        .sort((a, b) => a[0]!.localeCompare(b[0]!));
    const shown = () =>
      page.locator('[data-testid^="position-row-"]').evaluateAll((rows) =>
        rows
          .map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? ''))
          .map((cells) => [cells[0]!, cells[2]!, cells[4]!, cells[5]!, cells[6]!])
          .sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
    await expect.poll(shown, { timeout: WAIT }).toEqual(held());
    expect(urls.some((url) => url.includes('frames=packed'))).toBe(true);
    expect(sent.some((frame) => frame.includes('market.onPositions') && frame.includes('"deltas":"compact"'))).toBe(true);
    await page.close();
  });

  it("shows the server's validation message next to the field it concerns", async () => {
    const { page } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('control-tab-trade').click();
    await page.getByTestId('field-trade-symbol').fill('not a symbol!');
    await page.getByTestId('field-trade-qty').fill('-5');
    await page.getByTestId('submit-trade').click();
    const symbolError = page.getByTestId('error-trade-symbol');
    await symbolError.waitFor({ timeout: WAIT });
    // the message comes from the shared schema the server validates with
    expect(await symbolError.textContent()).toContain('symbol must be 1-12 letters, digits, dots or dashes');
    expect(await page.getByTestId('error-trade-qty').textContent()).toMatch(/0/);
    expect(await page.getByTestId('field-trade-qty').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('result-trade').count()).toBe(0);

    // fixing the fields clears the errors
    await page.getByTestId('field-trade-symbol').fill('E2E');
    await page.getByTestId('field-trade-qty').fill('1');
    await page.getByTestId('field-trade-price').fill('101');
    await page.getByTestId('submit-trade').click();
    await page.getByTestId('result-trade').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('error-trade-qty').count()).toBe(0);
    await page.close();
  });

  it('passes the agent filter to the decisions subscription, so only that agent arrives', async () => {
    const decide = (agentId: string, reasoning: string) =>
      desk.app.desk.activity.recordDecision({ agentId, symbol: 'MSFT', action: 'hold', confidence: 0.5, reasoning });
    decide('alpha', 'a1');
    decide('beta', 'b1');
    decide('alpha', 'a2');
    decide('beta', 'b2');

    const page = await desk.context.newPage();
    const sent: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (frame) => sent.push(String(frame.payload))));
    await page.goto(desk.app.url);
    const rows = page.getByTestId('decision-row');
    await expect.poll(() => rows.count(), { timeout: WAIT }).toBeGreaterThanOrEqual(4);
    const agentsShown = () => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-agent')));

    await page.getByTestId('decisions-filter-agent').fill('alpha');
    await expect.poll(agentsShown, { timeout: WAIT }).toEqual(['alpha', 'alpha']);
    expect(sent.some((f) => f.includes('agents.onDecisions') && f.includes('"agentId":"alpha"'))).toBe(true);

    // new decisions: only alpha's reach the filtered view
    decide('beta', 'b3');
    decide('alpha', 'a3');
    await expect.poll(agentsShown, { timeout: WAIT }).toEqual(['alpha', 'alpha', 'alpha']);
    const reasons = await rows.evaluateAll((els) => els.map((el) => el.querySelector('[data-testid="decision-reasoning"]')?.textContent));
    expect(reasons[0]).toContain('a3');

    // clearing the filter asks the server for everything again
    await page.getByTestId('decisions-filter-clear').click();
    await expect.poll(async () => (await agentsShown()).filter((a) => a === 'beta').length, { timeout: WAIT }).toBe(3);
    await page.close();
  });

  it('says Reconnecting when the server goes away, then Live again with no duplicate rows', async () => {
    desk.app.sim.step(40);
    const { page } = await openDashboard(desk.context, desk.app.url);
    await expect.poll(() => page.getByTestId('decision-row').count(), { timeout: WAIT }).toBeGreaterThan(0);
    const badge = page.getByTestId('connection-badge');
    const port = desk.app.port;

    await desk.app.stop();
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: WAIT }).toBe('reconnecting');
    await expect.poll(() => textOf(page, 'connection-detail'), { timeout: WAIT }).toMatch(/attempt \d+/);

    desk.app = await startDesk({ port });
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 30_000 }).toBe('live');

    // the feeds continue: new events from the new server arrive
    desk.app.desk.activity.recordDecision({ agentId: 'after-restart', symbol: 'AAPL', action: 'buy', confidence: 0.9, reasoning: 'resumed' });
    desk.app.sim.step(24);
    const decisions = page.getByTestId('decision-row');
    await decisions.and(page.locator('[data-agent="after-restart"]')).waitFor({ timeout: WAIT });
    const before = await textOf(page, 'price-AAPL');
    desk.app.sim.step(16);
    await changes(page, 'price-AAPL', before);

    const ids = (testId: string) => page.getByTestId(testId).evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
    const decisionIds = await ids('decision-row');
    expect(new Set(decisionIds).size).toBe(decisionIds.length);
    const tradeIds = await ids('trade-row');
    expect(new Set(tradeIds).size).toBe(tradeIds.length);
    const symbols = await page.getByTestId('watchlist').locator('tbody tr').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
    expect(new Set(symbols).size).toBe(symbols.length);
    const positionIds = await page.getByTestId('positions-table').locator('tbody tr:not(.leaving)').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
    expect(new Set(positionIds).size).toBe(positionIds.length);
    await page.close();
  });

  it('saves a screenshot of the whole dashboard', async () => {
    desk.app.desk.activity.pushNotification({ title: 'Desk opened', body: 'all systems normal', severity: 'info' });
    desk.app.desk.activity.raiseSystemAlert({ component: 'gateway', severity: 'warning', message: 'latency above 50 ms' });
    desk.app.desk.market.createAlertRule({ symbol: 'AAPL', condition: 'above', threshold: 1, severity: 'critical' });
    desk.app.sim.step(200);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    desk.app.sim.configure({ running: true, ticksPerSecond: 40 });
    try {
      await page.getByTestId('alert-row').first().waitFor({ timeout: WAIT });
      await expect.poll(async () => Number(await page.getByTestId('price-chart').getAttribute('data-points')), { timeout: WAIT }).toBeGreaterThan(20);
      await expect.poll(() => textOf(page, 'stat-rate'), { timeout: WAIT }).toMatch(/\d/);
      const dir = join(ROOT, 'artifacts');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'dashboard.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      desk.app.sim.stop();
      await page.close();
    }
  });
});
