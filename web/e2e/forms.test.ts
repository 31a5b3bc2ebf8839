import { describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, startDesk, useDashboard } from './harness';

const WAIT = 15_000;

describe.skipIf(!hasChromium)('control forms in Chromium', () => {
  const desk = useDashboard();

  it('says what is missing or wrong in plain words, under the field it concerns, before sending anything', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/trpc/')) sent.push(request.url());
    });
    await page.getByTestId('control-tab-trade').click();
    await page.getByTestId('field-trade-symbol').fill('');
    await page.getByTestId('field-trade-qty').fill('');
    await page.getByTestId('submit-trade').click();
    await page.getByTestId('error-trade-symbol').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('error-trade-symbol').textContent()).toBe('Symbol is required');
    expect(await page.getByTestId('error-trade-qty').textContent()).toBe('Quantity is required');
    expect(await page.locator('.field-error').allTextContents()).not.toContainEqual(expect.stringMatching(/Invalid input|received undefined/));

    // a bad metric value is reported under Value, not under Name (both write samples[0])
    await page.getByTestId('control-tab-metrics').click();
    await page.getByTestId('field-metrics-value').fill('lots');
    await page.getByTestId('submit-metrics').click();
    await page.getByTestId('error-metrics-value').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('error-metrics-value').textContent()).toBe('Enter a number');
    expect(await page.getByTestId('error-metrics-name').count()).toBe(0);
    expect(sent).toEqual([]);

    // fixed, it goes through, and the confirmation is words, not a 16-digit id
    await page.getByTestId('field-metrics-value').fill('3');
    await page.getByTestId('submit-metrics').click();
    const result = page.getByTestId('result-metrics');
    await result.waitFor({ timeout: WAIT });
    expect(await result.textContent()).toMatch(/^(applied: on screen now|sent: accepted by the desk)$/);
    expect(await result.textContent()).not.toMatch(/\d{6,}/);
    expect(await result.getAttribute('data-event-id')).toMatch(/^\d+$/);
    expect(sent).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says the desk is offline when a form is sent while it is away, and sends nothing', async () => {
    desk.app.sim.step(16);
    const { page } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('control-tab-trade').click();
    await page.getByTestId('sim-start').waitFor({ timeout: WAIT });
    const port = desk.app.port;
    await desk.app.stop();
    await expect.poll(() => page.getByTestId('connection-badge').getAttribute('data-status'), { timeout: WAIT }).not.toBe('live');

    await page.getByTestId('submit-trade').click();
    const formError = page.getByTestId('form-error-trade');
    await formError.waitFor({ timeout: WAIT });
    expect(await formError.textContent()).toBe('The desk is offline: nothing was sent. Try again once the badge says Live.');
    expect(await page.getByTestId('result-trade').count()).toBe(0);

    desk.app = await startDesk({ port });
    await expect.poll(() => page.getByTestId('connection-badge').getAttribute('data-status'), { timeout: 30_000 }).toBe('live');
    desk.app.sim.step(16);
    await page.getByTestId('submit-trade').click();
    await page.getByTestId('result-trade').waitFor({ timeout: WAIT });
    expect(await formError.count()).toBe(0);
    await page.close();
  });
});
