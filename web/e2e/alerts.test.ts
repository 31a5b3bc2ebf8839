import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;

describe.skipIf(!hasChromium)('alerts you cannot miss, in Chromium', () => {
  const desk = useDashboard();

  const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
  /** Raises one alert on `symbol` by a rule that fires on the next tick. */
  const raise = (symbol: string, severity: 'info' | 'warning' | 'critical') => {
    desk.app.desk.market.createAlertRule({ symbol, condition: 'above', threshold: 0.0001, severity });
    desk.app.sim.step(24);
  };

  it('counts active alerts by severity in the header and the tab title, and toasts a critical one as it arrives', async () => {
    raise('AAPL', 'warning');
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const centre = page.getByTestId('alert-centre');
    await expect.poll(() => centre.getAttribute('data-total'), { timeout: WAIT }).toBe('1');
    expect(await page.getByTestId('alert-count-warning').textContent()).toBe('1');
    expect(await page.title()).toBe('(1) livedesk');
    // an alert that was already up when the page opened is counted, not announced again
    expect(await page.getByTestId('alert-toast').count()).toBe(0);

    raise('MSFT', 'critical');
    const toast = page.getByTestId('alert-toast');
    await toast.waitFor({ timeout: WAIT });
    expect(await toast.getAttribute('role')).toBe('alert');
    expect(await toast.textContent()).toContain('Critical · MSFT');
    await expect.poll(() => page.title(), { timeout: WAIT }).toBe('(1 critical · 2) livedesk');
    expect(await page.getByTestId('alert-count-critical').textContent()).toBe('1');
    // named by what it shows, with the severities spelled out for a screen reader
    expect(await page.getByRole('link', { name: 'Alerts 1 critical, 1 warning', exact: true }).getAttribute('data-testid')).toBe('alert-centre');

    // closing the toast by keyboard puts focus on the header count, not on <body>
    await page.getByTestId('alert-toast-close').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toast.count(), { timeout: WAIT }).toBe(0);
    expect(await focused(page)).toBe('alert-centre');
    // the count links to the Alerts panel
    expect(await centre.getAttribute('href')).toBe('#panel-alerts');
    expect(await page.locator('#panel-alerts').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves focus to the next alert after a dismiss, to the panel after the last, and drops the toast of a dismissed alert', async () => {
    const { page } = await openDashboard(desk.context, desk.app.url);
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count(), { timeout: WAIT }).toBe(2);
    raise('NVDA', 'critical');
    await page.getByTestId('alert-toast').waitFor({ timeout: WAIT });
    await expect.poll(() => rows.count(), { timeout: WAIT }).toBe(3);

    // newest first: the NVDA alert is on top; dismissing it by keyboard lands on the next row's button
    const first = await rows.first().getAttribute('data-id');
    await page.getByTestId('alert-dismiss').first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count(), { timeout: WAIT }).toBe(2);
    await expect.poll(() => focused(page), { timeout: WAIT }).toBe('alert-dismiss');
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="alert-row"]')?.getAttribute('data-id'))).toBe(await rows.first().getAttribute('data-id'));
    expect(await page.locator(`[data-testid="alert-row"][data-id="${first}"]`).count()).toBe(0);
    // its toast went with it
    await expect.poll(() => page.getByTestId('alert-toast').count(), { timeout: WAIT }).toBe(0);

    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count(), { timeout: WAIT }).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count(), { timeout: WAIT }).toBe(0);
    await expect.poll(() => focused(page), { timeout: WAIT }).toBe('panel-alerts');
    await expect.poll(() => page.title(), { timeout: WAIT }).toBe('livedesk');
    expect(await page.getByTestId('alert-centre').getAttribute('data-total')).toBe('0');
    await page.close();
  });
});
