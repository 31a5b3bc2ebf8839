import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedToken } from '../../server/auth/tokens';
import { hasChromium, startDesk, useDashboard } from './harness';

const WAIT = 15_000;
const SECRET = 'a-browser-test-secret-long-enough-0123';
const tokens = {
  'viewer-token-0123456789': { role: 'viewer', name: 'grafana' },
  'operator-token-0123456789': { role: 'operator', name: 'alice' },
  'admin-token-0123456789': { role: 'admin', name: 'root' },
} as const;

/** Records every status the connection badge shows, from the first paint on. */
const recordBadge = () => {
  const seen: string[] = [];
  (window as unknown as { badgeStatuses: string[] }).badgeStatuses = seen;
  new MutationObserver(() => {
    const status = document.querySelector('[data-testid="connection-badge"]')?.getAttribute('data-status');
    if (status && seen.at(-1) !== status) seen.push(status);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
};

describe.skipIf(!hasChromium)('signing in and roles in Chromium', () => {
  const desk = useDashboard({ auth: { tokens, secret: SECRET } });
  beforeAll(() => desk.context.addInitScript(recordBadge));

  const badgeStatuses = (page: Page) => page.evaluate(() => (window as unknown as { badgeStatuses: string[] }).badgeStatuses.slice());
  const status = (page: Page) => page.getByTestId('connection-badge').getAttribute('data-status');
  const stored = (page: Page) => page.evaluate(() => localStorage.getItem('livedesk.token'));
  const waitLive = (page: Page) => expect.poll(() => status(page), { timeout: WAIT }).toBe('live');

  it('asks for a token when there is none or a wrong one, never says Live meanwhile, then signs in and out', async () => {
    const page = await desk.context.newPage();
    await page.goto(desk.app.url);
    await page.getByTestId('sign-in').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('sign-in-reason').textContent()).toContain('needs an access token');
    await expect.poll(() => status(page), { timeout: WAIT }).toBe('refused');
    expect(await page.getByTestId('connection-label').textContent()).toBe('Signed out');
    expect(await page.getByTestId('panel-prices').count()).toBe(0);
    // nothing that needs a session is shown or polled: no latency probe, no server clock
    expect(await page.getByTestId('latency').count()).toBe(0);

    await page.getByTestId('sign-in-token').fill('not-a-token-at-all-0000');
    await page.getByTestId('sign-in-submit').click();
    await expect.poll(() => page.getByTestId('connection-label').textContent(), { timeout: WAIT }).toBe('Token refused');
    expect(await page.getByTestId('sign-in-reason').textContent()).toMatch(/^The desk refused this token/);
    expect(await page.getByTestId('sign-in-detail').textContent()).toMatch(/a valid token is required/);
    // the socket of both attempts was open all along; the badge still never said Live
    const seen = await badgeStatuses(page);
    expect(seen).toContain('refused');
    expect(seen).not.toContain('live');

    await page.getByTestId('sign-in-token').fill('operator-token-0123456789');
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('panel-prices').waitFor({ timeout: WAIT });
    await waitLive(page);
    expect(await page.getByTestId('session-role').getAttribute('data-role')).toBe('operator');
    expect(await page.getByTestId('session').textContent()).toContain('alice');
    expect(await stored(page)).toBe('operator-token-0123456789');

    // remembered across a reload
    await page.reload();
    await waitLive(page);
    expect(await page.getByTestId('session-role').getAttribute('data-role')).toBe('operator');

    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor({ timeout: WAIT });
    expect(await stored(page)).toBeNull();
    await expect.poll(() => status(page), { timeout: WAIT }).toBe('refused');
    await page.close();
  });

  it('takes the token out of the address bar and shows a viewer a read-only desk', async () => {
    desk.app.desk.market.createAlertRule({ symbol: 'AAPL', condition: 'above', threshold: 1, severity: 'critical' });
    desk.app.sim.step(40);
    desk.app.sim.configure({ running: true, ticksPerSecond: 5 });
    try {
      const page = await desk.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${desk.app.url}/?token=viewer-token-0123456789`);
      await waitLive(page);
      expect(page.url()).not.toContain('token');
      expect(await stored(page)).toBe('viewer-token-0123456789');
      expect(await page.getByTestId('session-role').textContent()).toBe('viewer · read-only');

      await page.getByTestId('alert-row').first().waitFor({ timeout: WAIT });
      await expect.poll(() => page.getByTestId('sim-status').textContent(), { timeout: WAIT }).toBe('running');
      // the simulator runs, and still a viewer cannot stop it
      expect(await page.getByTestId('sim-stop').isDisabled()).toBe(true);
      expect(await page.getByTestId('sim-start').isDisabled()).toBe(true);
      await page.getByTestId('read-only-note').waitFor({ timeout: WAIT });
      for (const control of ['form-simulator', 'form-trade', 'control-tab-trade', 'alerts-clear', 'alert-dismiss', 'form-rule', 'panel-system'])
        expect(await page.getByTestId(control).count(), control).toBe(0);
      await page.getByTestId('toggle-rules').click();
      await page.getByTestId('rule-row').first().waitFor({ timeout: WAIT });
      expect(await page.getByTestId('rule-delete').count()).toBe(0);
      // nothing on the page was refused for want of a role
      expect(await page.getByText(/role required/).count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();

      // an operator gets the controls but not the admin panel; an admin gets both
      const operator = await desk.context.newPage();
      await operator.goto(`${desk.app.url}/?token=operator-token-0123456789`);
      await waitLive(operator);
      await operator.getByTestId('form-trade').waitFor({ timeout: WAIT });
      await expect.poll(() => operator.getByTestId('sim-stop').isEnabled(), { timeout: WAIT }).toBe(true);
      await operator.getByTestId('alert-dismiss').first().waitFor({ timeout: WAIT });
      expect(await operator.getByTestId('panel-system').count()).toBe(0);
      await operator.close();

      const admin = await desk.context.newPage();
      await admin.goto(`${desk.app.url}/?token=admin-token-0123456789`);
      await waitLive(admin);
      await admin.getByTestId('stat-connections').waitFor({ timeout: WAIT });
      expect(await admin.getByTestId('session-role').getAttribute('data-role')).toBe('admin');
      await admin.close();
    } finally {
      desk.app.sim.stop();
    }
  });

  it('turns into the sign-in screen as soon as a signed token expires, without a reload', async () => {
    const token = createSignedToken(SECRET, { role: 'operator', ttlMs: 3_000, name: 'brief' });
    const page = await desk.context.newPage();
    await page.goto(`${desk.app.url}/?token=${token}`);
    await waitLive(page);
    expect(await page.getByTestId('session').textContent()).toContain('brief');
    // well before the periodic check, the expiry the desk announced brings the sign-in screen
    await page.getByTestId('sign-in').waitFor({ timeout: 8_000 });
    expect(await page.getByTestId('connection-label').textContent()).toBe('Token refused');
    expect(await page.getByTestId('panel-prices').count()).toBe(0);
    await page.close();
  });

  it('marks every live panel stale with its last update while the server is away, and live again after a restart', async () => {
    desk.app.sim.step(40);
    desk.app.desk.activity.pushNotification({ title: 'before the outage', body: '', severity: 'info' });
    const page = await desk.context.newPage();
    await page.goto(`${desk.app.url}/?token=admin-token-0123456789`);
    await waitLive(page);
    await page.getByTestId('price-row-AAPL').waitFor({ timeout: WAIT });
    await page.getByTestId('stat-connections').waitFor({ timeout: WAIT });
    // the control panel loads lazily: its stand-in has no live data to mark
    await page.getByTestId('sim-status').waitFor({ timeout: WAIT });
    const panels = ['portfolio', 'prices', 'positions', 'decisions', 'trades', 'agents', 'alerts', 'feeds', 'custom', 'metrics', 'system', 'control'];
    const staleness = () => Promise.all(panels.map((p) => page.getByTestId(`panel-${p}`).getAttribute('data-stale')));
    expect(await staleness()).toEqual(panels.map(() => 'false'));
    expect(await page.getByTestId('connection-since').count()).toBe(0);

    const port = desk.app.port;
    const stoppedAt = Date.now();
    await desk.app.stop();
    await expect.poll(() => status(page), { timeout: WAIT }).toMatch(/reconnecting|offline/);
    await expect.poll(staleness, { timeout: WAIT }).toEqual(panels.map(() => 'true'));
    for (const p of panels) expect(await page.getByTestId(`panel-${p}-stale`).textContent(), p).toMatch(/^stale · (last update \d\d:\d\d:\d\d|nothing received)$/);
    // panels that had data say when it last changed: no later than the moment the server went away
    const clock = (text: string | null) => text?.match(/(\d\d):(\d\d):(\d\d)/)?.slice(1).map(Number) ?? [];
    const shown = clock(await page.getByTestId('panel-prices-stale').textContent());
    const [h, m, sec] = await page.evaluate((t) => {
      const d = new Date(t);
      return [d.getHours(), d.getMinutes(), d.getSeconds()];
    }, stoppedAt);
    expect(shown[0]! * 3600 + shown[1]! * 60 + shown[2]!).toBeLessThanOrEqual(h! * 3600 + m! * 60 + sec! + 1);
    expect(await page.getByTestId('connection-since').textContent()).toMatch(/^since \d\d:\d\d:\d\d$/);
    expect(await page.getByTestId('latency').textContent()).toBe('—');
    expect(await page.locator('.header-stats [data-stale="true"]').count()).toBe(1);

    desk.app = await startDesk({ port, auth: { tokens, secret: SECRET } });
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('live');
    await expect.poll(staleness, { timeout: WAIT }).toEqual(panels.map(() => 'false'));
    expect(await page.locator('.stale-mark').count()).toBe(0);
    expect(await page.getByTestId('connection-since').count()).toBe(0);
    await page.close();
  });
});
