import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;

/** What the page asked of the browser, as recorded by the init script. */
interface Recorded {
  notifications: { title: string; body: string; tag: string }[];
  beeps: number;
}

const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __signals: Recorded }).__signals);

describe.skipIf(!hasChromium)('notifications and sound for critical alerts, in Chromium', () => {
  // The profile grants notifications, as a user who said yes to the browser's prompt would.
  const desk = useDashboard({}, { permissions: ['notifications'] });

  beforeAll(async () => {
    // Observe, not replace: the page's Notification and oscillators are the browser's own, with
    // each construction and each start recorded on the way through.
    await desk.context.addInitScript(() => {
      const signals = { notifications: [] as { title: string; body: string; tag: string }[], beeps: 0 };
      (window as unknown as { __signals: typeof signals }).__signals = signals;
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          signals.notifications.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
        }
      };
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
        signals.beeps++;
        return start.apply(this, args);
      };
    });
  });

  /** Raises one alert on `symbol` by a rule that fires on the next tick. */
  const raise = (symbol: string, severity: 'info' | 'warning' | 'critical') => {
    desk.app.desk.market.createAlertRule({ symbol, condition: 'above', threshold: 0.0001, severity });
    desk.app.sim.step(24);
  };
  const toastFor = (page: Page, symbol: string) => page.getByTestId('alert-toast').filter({ hasText: `Critical · ${symbol}` });

  it('gives no notification and no sound until the user turns them on', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    expect(await page.getByTestId('alert-notify-toggle').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('alert-sound-toggle').getAttribute('aria-pressed')).toBe('false');
    raise('AAPL', 'critical');
    await toastFor(page, 'AAPL').waitFor({ timeout: WAIT });
    expect(await recorded(page)).toEqual({ notifications: [], beeps: 0 });
    expect(await page.evaluate(() => localStorage.getItem('livedesk.alert-signals'))).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('notifies and beeps for a critical alert once turned on, not for a warning, and remembers the choice', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('alert-notify-toggle').click();
    await expect.poll(() => page.getByTestId('alert-notify-toggle').getAttribute('aria-pressed'), { timeout: WAIT }).toBe('true');
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');
    await page.getByTestId('alert-sound-toggle').click();
    expect(await page.getByTestId('alert-sound-toggle').getAttribute('aria-pressed')).toBe('true');
    // turning sound on beeps once, so the user hears what it will sound like
    await expect.poll(async () => (await recorded(page)).beeps, { timeout: WAIT }).toBe(1);

    raise('MSFT', 'critical');
    await toastFor(page, 'MSFT').waitFor({ timeout: WAIT });
    await expect.poll(async () => (await recorded(page)).notifications, { timeout: WAIT }).toEqual([
      { title: expect.stringMatching(/^Critical · MSFT \d/), body: expect.stringContaining('MSFT'), tag: expect.stringMatching(/^livedesk-alert-/) },
    ]);
    await expect.poll(async () => (await recorded(page)).beeps, { timeout: WAIT }).toBe(2);

    raise('NVDA', 'warning');
    await expect.poll(() => page.getByTestId('alert-row').filter({ hasText: 'NVDA' }).count(), { timeout: WAIT }).toBe(1);
    expect((await recorded(page)).notifications).toHaveLength(1);
    expect((await recorded(page)).beeps).toBe(2);

    // remembered across a reload
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('livedesk.alert-signals'))) ?? 'null')).toEqual({ notify: true, sound: true });
    await page.reload();
    await page.getByTestId('connection-badge').and(page.locator('[data-status="live"]')).waitFor({ timeout: WAIT });
    expect(await page.getByTestId('alert-notify-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('alert-sound-toggle').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('alert-row').first().waitFor({ timeout: WAIT });
    raise('AMZN', 'critical');
    await toastFor(page, 'AMZN').waitFor({ timeout: WAIT });
    await expect.poll(async () => (await recorded(page)).notifications.map((n) => n.title.split(' ')[2]), { timeout: WAIT }).toEqual(['AMZN']);

    // and off again
    await page.getByTestId('alert-notify-toggle').click();
    await page.getByTestId('alert-sound-toggle').click();
    const beepsBefore = (await recorded(page)).beeps;
    raise('GOOG', 'critical');
    await toastFor(page, 'GOOG').waitFor({ timeout: WAIT });
    expect((await recorded(page)).notifications).toHaveLength(1);
    expect((await recorded(page)).beeps).toBe(beepsBefore);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('livedesk.alert-signals'))) ?? 'null')).toEqual({ notify: false, sound: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says how to allow notifications when the browser does not, and stays off', async () => {
    await desk.context.clearPermissions();
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    expect(await page.evaluate(() => Notification.permission)).not.toBe('granted');
    await page.getByTestId('alert-notify-toggle').click();
    const problem = page.getByTestId('alert-signals-problem');
    await problem.waitFor({ timeout: WAIT });
    expect(await problem.textContent()).toMatch(/^(Notifications are blocked for this page|The browser did not allow notifications)/);
    expect(await page.getByTestId('alert-notify-toggle').getAttribute('aria-pressed')).toBe('false');
    raise('TSLA', 'critical');
    await toastFor(page, 'TSLA').waitFor({ timeout: WAIT });
    expect((await recorded(page)).notifications).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
