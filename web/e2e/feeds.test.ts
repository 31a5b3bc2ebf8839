import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;

/** The ids of a list's rows, top to bottom. */
const idsOf = (page: Page, testId: string) => page.getByTestId(testId).locator(':scope > li').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));

describe.skipIf(!hasChromium)('custom events, metrics and feed control in Chromium', () => {
  const desk = useDashboard();
  const notify = (title: string) => desk.app.desk.activity.pushNotification({ title, body: '', severity: 'info' });

  it('shows custom events newest first, with their data, filtered by type on the server', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('custom-empty').waitFor({ timeout: WAIT });
    desk.app.desk.activity.broadcastCustom({ type: 'note', data: { hello: 'desk' } });
    desk.app.desk.activity.broadcastCustom({ type: 'fill', data: [1, 2, 3] });
    await expect.poll(() => page.getByTestId('custom-row').count(), { timeout: WAIT }).toBe(2);
    expect(await page.getByTestId('custom-row').first().getAttribute('data-type')).toBe('fill');
    expect(await page.getByTestId('custom-data').allTextContents()).toEqual(['[1,2,3]', '{"hello":"desk"}']);

    await page.getByTestId('custom-filter-type').fill('note');
    await expect.poll(() => page.getByTestId('custom-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type'))), { timeout: WAIT }).toEqual(['note']);
    desk.app.desk.activity.broadcastCustom({ type: 'fill', data: 4 });
    desk.app.desk.activity.broadcastCustom({ type: 'note', data: 'second' });
    await expect.poll(() => page.getByTestId('custom-data').allTextContents(), { timeout: WAIT }).toEqual(['"second"', '{"hello":"desk"}']);
    await page.getByTestId('custom-filter-type-clear').click();
    await expect.poll(() => page.getByTestId('custom-row').count(), { timeout: WAIT }).toBe(4);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws a sparkline per metric name with its latest value, filtered by name on the server', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('metrics-empty').waitFor({ timeout: WAIT });
    for (const value of [3, 5, 4, 8]) desk.app.desk.activity.recordMetrics([{ name: 'orders_per_min', value, labels: {} }]);
    desk.app.desk.activity.recordMetrics([
      { name: 'queue_depth', value: 12.5, labels: { desk: 'eq' } },
      { name: 'queue_depth', value: 7, labels: { desk: 'eq' } },
    ]);
    const orders = page.locator('[data-testid="metric-row"][data-name="orders_per_min"]');
    await expect.poll(() => orders.getAttribute('data-points'), { timeout: WAIT }).toBe('4');
    expect(await page.getByTestId('metric-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).toEqual(['orders_per_min', 'queue_depth']);
    expect(await orders.getByTestId('metric-latest').textContent()).toBe('8');
    // four values, four points on the line, rising overall
    const points = await orders.locator('[data-testid="metric-sparkline"] polyline').getAttribute('points');
    expect(points?.trim().split(/\s+/)).toHaveLength(4);
    expect(await orders.getByTestId('metric-sparkline').getAttribute('class')).toContain('sparkline-up');
    expect(await page.locator('[data-testid="metric-row"][data-name="queue_depth"]').getByTestId('metric-latest').textContent()).toBe('7');

    await page.getByTestId('metrics-filter-name').fill('queue_depth');
    await expect.poll(() => page.getByTestId('metric-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name'))), { timeout: WAIT }).toEqual(['queue_depth']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pauses a feed: new rows are counted, not shown, until "n new" or Resume', async () => {
    for (let i = 0; i < 3; i++) notify(`before ${i}`);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('feeds-tab-notifications').click();
    await expect.poll(() => page.getByTestId('notification-row').count(), { timeout: WAIT }).toBeGreaterThanOrEqual(3);
    const before = await idsOf(page, 'notifications-list');

    await page.getByTestId('feeds-notifications-pause').click();
    expect(await page.getByTestId('feeds-notifications-pause').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('notifications-list').getAttribute('data-held')).toBe('true');
    for (let i = 0; i < 3; i++) notify(`while paused ${i}`);
    const marker = page.getByTestId('feeds-notifications-new');
    await expect.poll(() => marker.textContent(), { timeout: WAIT }).toBe('3 new');
    expect(await idsOf(page, 'notifications-list')).toEqual(before);

    // "n new" shows them and stays paused
    await marker.click();
    await expect.poll(() => page.getByTestId('notification-row').first().textContent(), { timeout: WAIT }).toContain('while paused 2');
    expect(await marker.count()).toBe(0);
    expect(await page.getByTestId('feeds-notifications-pause').textContent()).toBe('Resume');
    notify('still paused');
    await expect.poll(() => marker.textContent(), { timeout: WAIT }).toBe('1 new');

    // Resume follows the feed again
    await page.getByTestId('feeds-notifications-pause').click();
    await expect.poll(() => page.getByTestId('notification-row').first().textContent(), { timeout: WAIT }).toContain('still paused');
    expect(await marker.count()).toBe(0);
    notify('live again');
    await expect.poll(() => page.getByTestId('notification-row').first().textContent(), { timeout: WAIT }).toContain('live again');

    // the other feeds have their own pause (signals untouched, still following)
    await page.getByTestId('feeds-tab-signals').click();
    expect(await page.getByTestId('feeds-signals-pause').getAttribute('aria-pressed')).toBe('false');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('holds a feed scrolled away from its newest rows and jumps back to them from "n new"', async () => {
    for (let i = 0; i < 30; i++) notify(`fill ${i}`);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('feeds-tab-notifications').click();
    await expect.poll(() => page.getByTestId('notification-row').count(), { timeout: WAIT }).toBe(30);
    const body = page.getByTestId('panel-feeds').locator('.panel-body');
    await body.evaluate((el) => el.scrollTo({ top: 200 }));
    await expect.poll(() => body.evaluate((el) => el.scrollTop), { timeout: WAIT }).toBeGreaterThan(100);
    await expect.poll(() => page.getByTestId('notifications-list').getAttribute('data-held'), { timeout: WAIT }).toBe('true');
    const before = await idsOf(page, 'notifications-list');
    const firstVisible = await page.getByTestId('notification-row').nth(8).getAttribute('data-id');

    notify('arrived while reading 1');
    notify('arrived while reading 2');
    const marker = page.getByTestId('feeds-notifications-new');
    await expect.poll(() => marker.textContent(), { timeout: WAIT }).toBe('2 new');
    // the rows being read stay where they were
    expect(await idsOf(page, 'notifications-list')).toEqual(before);
    expect(await page.getByTestId('notification-row').nth(8).getAttribute('data-id')).toBe(firstVisible);
    expect(await page.getByTestId('feeds-notifications-pause').getAttribute('aria-pressed')).toBe('false');

    await marker.click();
    await expect.poll(() => body.evaluate((el) => el.scrollTop), { timeout: WAIT }).toBeLessThan(8);
    expect(await page.getByTestId('notifications-list').getAttribute('data-held')).toBe('false');
    await expect.poll(() => page.getByTestId('notification-row').first().textContent(), { timeout: WAIT }).toContain('arrived while reading 2');
    notify('following again');
    await expect.poll(() => page.getByTestId('notification-row').first().textContent(), { timeout: WAIT }).toContain('following again');
    expect(await marker.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('never says a feed is empty while its snapshot holds rows', async () => {
    desk.app.sim.step(4);
    desk.app.desk.activity.recordDecision({ agentId: 'momentum-1', symbol: 'AAPL', action: 'buy', confidence: 0.7, reasoning: 'seen at once', executeQty: 1 });
    desk.app.desk.activity.broadcastCustom({ type: 'note', data: 'seen at once' });
    notify('seen at once');
    // Every "empty" line the page ever shows, however briefly, is recorded.
    const { page, errors } = await openDashboard(desk.context, desk.app.url, {
      initScript: () => {
        const seen: string[] = [];
        (window as unknown as { emptySeen: string[] }).emptySeen = seen;
        new MutationObserver(() => {
          for (const el of document.querySelectorAll('[data-testid$="-empty"]')) seen.push(el.getAttribute('data-testid') ?? '');
        }).observe(document, { childList: true, subtree: true });
      },
    });
    for (const feed of ['decisions', 'trades', 'custom']) await page.getByTestId(`${feed}-list`).waitFor({ timeout: WAIT });
    await page.getByTestId('feeds-tab-notifications').click();
    await page.getByTestId('notifications-list').waitFor({ timeout: WAIT });
    const seen = await page.evaluate(() => (window as unknown as { emptySeen: string[] }).emptySeen);
    expect(seen.filter((id) => /^(decisions|trades|custom|notifications)-empty$/.test(id))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pauses the decisions, trades and custom feeds the same way', async () => {
    desk.app.sim.step(16);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    // each feed's snapshot is in before it is paused, so only what arrives after counts as new
    for (const feed of ['decisions', 'trades', 'custom']) await page.getByTestId(`${feed}-list`).or(page.getByTestId(`${feed}-empty`)).waitFor({ timeout: WAIT });
    for (const feed of ['decisions', 'trades', 'custom']) await page.getByTestId(`${feed}-pause`).click();
    const before = await page.getByTestId('decision-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    const { decision } = desk.app.desk.activity.recordDecision({ agentId: 'momentum-1', symbol: 'AAPL', action: 'buy', confidence: 0.9, reasoning: 'test', executeQty: 1 });
    desk.app.desk.activity.broadcastCustom({ type: 'note', data: 'held' });
    for (const feed of ['decisions', 'trades', 'custom']) await expect.poll(() => page.getByTestId(`${feed}-new`).textContent(), { timeout: WAIT }).toBe('1 new');
    expect(await page.getByTestId('decision-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual(before);
    expect(await page.getByTestId('custom-row').evaluateAll((rows) => rows.some((r) => r.textContent?.includes('"held"')))).toBe(false);
    for (const feed of ['decisions', 'trades', 'custom']) await page.getByTestId(`${feed}-pause`).click();
    await expect.poll(() => page.getByTestId('decision-row').first().getAttribute('data-id'), { timeout: WAIT }).toBe(decision.id);
    await expect.poll(() => page.getByTestId('custom-data').first().textContent(), { timeout: WAIT }).toBe('"held"');
    expect(errors).toEqual([]);
    await page.close();
  });
});
