import { createTRPCClient, httpLink } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../../shared/index';
import { controlForms } from '../src/features/control/forms';
import { serverErrors } from '../src/lib/form-errors';
import { hasChromium, openDashboard, startDesk, useDashboard } from './harness';

const WAIT = 15_000;

describe.skipIf(!hasChromium)('control forms in Chromium', () => {
  const desk = useDashboard({ tradeLimits: { maxQty: 100 } });

  it('says what is missing or wrong in plain words, under the field it concerns, before sending anything', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/trpc/')) sent.push(request.url());
    });
    await page.getByTestId('control-tab-trade').click();
    // as soon as a field is left, and again as it changes: no submit needed
    await page.getByTestId('field-trade-qty').fill('ten');
    await page.getByTestId('field-trade-qty').press('Tab');
    await page.getByTestId('error-trade-qty').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('error-trade-qty').textContent()).toBe('Enter a number');
    expect(await page.getByTestId('field-trade-qty').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('field-trade-qty').fill('5');
    await expect.poll(() => page.getByTestId('error-trade-qty').count(), { timeout: WAIT }).toBe(0);

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

  it("shows the desk's refusal of a valid input on the form, and a server input issue under the field it concerns", async () => {
    desk.app.sim.step(16);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('control-tab-trade').click();
    await page.getByTestId('field-trade-qty').fill('500');
    await page.getByTestId('submit-trade').click();
    const formError = page.getByTestId('form-error-trade');
    await formError.waitFor({ timeout: WAIT });
    expect(await formError.textContent()).toMatch(/^refused by a trading limit: qty 500 is over the limit of 100 per trade/);
    expect(await page.getByTestId('result-trade').count()).toBe(0);
    // sending again clears the refusal, and a trade within the limit goes through
    await page.getByTestId('field-trade-qty').fill('5');
    await page.getByTestId('submit-trade').click();
    await page.getByTestId('result-trade').waitFor({ timeout: WAIT });
    expect(await formError.count()).toBe(0);
    // the browser logs the refused call itself; nothing else went wrong
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await page.close();

    // The form checks first with the same schema, so the page never sends what the desk would refuse
    // as input; any other client can, and the same reading puts the desk's issue under Value.
    const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${desk.app.url}/trpc` })] });
    const refused = await client.feeds.recordMetrics.mutate({ samples: [{ name: 'orders', value: 'lots' as unknown as number }] }).catch((e: unknown) => e);
    const metrics = controlForms.find((f) => f.id === 'metrics')!;
    expect(serverErrors(metrics.fields, refused)).toEqual({ fields: { 'samples.0.value': 'Enter a number' }, form: [] });
  });

  it('checks a new alert rule the same way, confirms it in words and clears the form', async () => {
    desk.app.sim.step(16);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('toggle-rules').click();
    await page.getByTestId('field-rule-symbol').fill('AAPL');
    await page.getByTestId('field-rule-threshold').fill('-3');
    await page.getByTestId('submit-rule').click();
    await page.getByTestId('error-rule-threshold').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('error-rule-threshold').textContent()).toBe('Must be more than 0');
    await page.getByTestId('field-rule-threshold').fill('99999');
    await page.getByTestId('submit-rule').click();
    const result = page.getByTestId('result-rule');
    await result.waitFor({ timeout: WAIT });
    expect(await result.textContent()).toBe('rule created');
    expect(await page.getByTestId('field-rule-threshold').inputValue()).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says the desk is offline when a form is sent while it is away, and sends nothing', async () => {
    desk.app.desk.market.createAlertRule({ symbol: 'MSFT', condition: 'above', threshold: 0.0001, severity: 'warning' });
    desk.app.sim.step(24);
    const { page } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('alert-row').first().waitFor({ timeout: WAIT });
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
    // so do the alert actions, instead of waiting out the retries for "Failed to fetch"
    await page.getByTestId('alerts-clear').click();
    expect(await page.getByTestId('alerts-action-error').textContent()).toBe('The desk is offline: nothing was sent. Try again once the badge says Live.');

    desk.app = await startDesk({ port, tradeLimits: { maxQty: 100 } });
    await expect.poll(() => page.getByTestId('connection-badge').getAttribute('data-status'), { timeout: 30_000 }).toBe('live');
    expect(await page.getByTestId('alerts-action-error').count()).toBe(0);
    desk.app.sim.step(16);
    await page.getByTestId('submit-trade').click();
    await page.getByTestId('result-trade').waitFor({ timeout: WAIT });
    expect(await formError.count()).toBe(0);
    await page.close();
  });
});
