import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;
const TOKEN = 'sse-e2e-admin-token-0123456789';

/**
 * The whole dashboard with `?transport=sse`: every panel's subscriptions over one multiplexed SSE
 * stream (a browser allows about six connections per origin over HTTP/1.1), no WebSocket, and the
 * connection badge honest when the stream drops: Reconnecting, then Live, each stream resumed from
 * its last event id (rows made meanwhile arrive once).
 */
describe.skipIf(!hasChromium)('dashboard over SSE in Chromium', () => {
  // With a token: it travels in the stream's URL (all an EventSource can do) and as a header on the subscribe requests.
  const desk = useDashboard({ auth: { tokens: { [TOKEN]: 'admin' } } });

  async function openOverSse(): Promise<{ page: Page; errors: string[]; eventSources: string[]; sockets: string[] }> {
    const eventSources: string[] = [];
    const sockets: string[] = [];
    const { page, errors } = await openDashboard(desk.context, `${desk.app.url}/?token=${TOKEN}&transport=sse`, {
      // Every status the badge shows, however briefly.
      initScript: () => {
        const seen: string[] = [];
        (window as unknown as { badgeStatuses: string[] }).badgeStatuses = seen;
        new MutationObserver(() => {
          const status = document.querySelector('[data-testid="connection-badge"]')?.getAttribute('data-status');
          if (status && seen[seen.length - 1] !== status) seen.push(status);
        }).observe(document, { subtree: true, attributes: true, childList: true });
      },
      onPage: (page) => {
        page.on('request', (request) => {
          if (request.resourceType() === 'eventsource') eventSources.push(request.url());
        });
        page.on('websocket', (socket) => sockets.push(socket.url()));
      },
    });
    return { page, errors, eventSources, sockets };
  }

  it('gets every panel its data over one SSE stream and no WebSocket', async () => {
    desk.app.sim.step(30);
    desk.app.desk.activity.recordDecision({ agentId: 'sse-e2e', symbol: 'AAPL', action: 'buy', confidence: 0.8, reasoning: 'over sse' });
    const { page, errors, eventSources, sockets } = await openOverSse();
    try {
      for (const panel of ['portfolio', 'prices', 'positions', 'decisions', 'trades', 'agents', 'alerts', 'feeds', 'system', 'control'])
        await page.getByTestId(`panel-${panel}`).waitFor({ timeout: WAIT });
      await page.getByTestId('price-row-AAPL').waitFor({ timeout: WAIT });
      await page.getByTestId('portfolio-equity').waitFor({ timeout: WAIT });
      await page.getByTestId('stat-connections').waitFor({ timeout: WAIT });
      await page.getByTestId('decision-row').and(page.locator('[data-agent="sse-e2e"]')).waitFor({ timeout: WAIT });
      await expect.poll(() => page.getByTestId('latency').first().textContent(), { timeout: WAIT }).toMatch(/\d+ ms/);
      // Live updates arrive on it: a price moves.
      const before = await page.getByTestId('price-AAPL').first().textContent();
      desk.app.sim.step(16);
      await expect.poll(() => page.getByTestId('price-AAPL').first().textContent(), { timeout: WAIT }).not.toBe(before);

      // One stream, from the browser's side and the server's, carrying more subscriptions than a
      // browser would open connections to one origin.
      expect(sockets).toEqual([]);
      expect(eventSources).toHaveLength(1);
      expect(new URL(eventSources[0]!).pathname).toBe('/sse-mux');
      const streams = desk.app.sseMux.streams();
      expect(streams).toHaveLength(1);
      expect(streams[0]!.subscriptions).toBeGreaterThanOrEqual(15);
      // The desk's presence lists one dashboard connection.
      expect(desk.app.presence.registry.reading().counts.dashboard).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says Reconnecting when the stream drops, then Live again, with what happened meanwhile once', async () => {
    desk.app.sim.step(20);
    const { page, eventSources } = await openOverSse();
    try {
      await expect.poll(() => page.getByTestId('decision-row').count(), { timeout: WAIT }).toBeGreaterThan(0);
      const badge = page.getByTestId('connection-badge');
      expect(await badge.getAttribute('data-status')).toBe('live');

      expect(desk.app.sseMux.drop()).toBe(1);
      // While the page has no stream: a decision it must not miss.
      desk.app.desk.activity.recordDecision({ agentId: 'while-dropped', symbol: 'MSFT', action: 'sell', confidence: 0.7, reasoning: 'resume' });
      await expect.poll(() => page.evaluate(() => (window as unknown as { badgeStatuses: string[] }).badgeStatuses.join(' ')), { timeout: WAIT }).toMatch(/live reconnecting live$/);
      await expect.poll(() => badge.getAttribute('data-status'), { timeout: WAIT }).toBe('live');
      expect(eventSources).toHaveLength(2);
      await expect.poll(() => desk.app.sseMux.streams().length, { timeout: WAIT }).toBe(1);

      desk.app.desk.activity.recordDecision({ agentId: 'after-drop', symbol: 'AAPL', action: 'buy', confidence: 0.9, reasoning: 'resumed' });
      desk.app.sim.step(24);
      const decisions = page.getByTestId('decision-row');
      await decisions.and(page.locator('[data-agent="after-drop"]')).waitFor({ timeout: WAIT });
      expect(await decisions.and(page.locator('[data-agent="while-dropped"]')).count()).toBe(1);
      const ids = (testId: string) => page.getByTestId(testId).evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
      const decisionIds = await ids('decision-row');
      expect(new Set(decisionIds).size).toBe(decisionIds.length);
      const tradeIds = await ids('trade-row');
      expect(new Set(tradeIds).size).toBe(tradeIds.length);
      const symbols = await page.getByTestId('watchlist').locator('tbody tr').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
      expect(new Set(symbols).size).toBe(symbols.length);
    } finally {
      await page.close();
    }
  });
});
