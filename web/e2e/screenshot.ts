/**
 * Takes docs/img/dashboard.png: the built dashboard at 1440x900 in headless Chromium, on a desk
 * whose simulator has run long enough to fill every panel, the chart at 1 s bars (a minute of
 * simulator is a minute of candles there, one at 1 m). `npx tsx web/e2e/screenshot.ts`.
 */
import { join } from 'node:path';
import { buildDashboard, launchBrowser, openDashboard, ROOT, startDesk } from './harness';

const out = join(ROOT, 'docs/img/dashboard.png');
await buildDashboard();
const app = await startDesk({ sim: { enabled: true, ticksPerSecond: 20, seed: 42 } });
const browser = await launchBrowser();
try {
  const { page, errors } = await openDashboard(browser.context, app.url);
  await page.getByTestId('chart-timeframes').getByRole('button', { name: '1s', exact: true }).click({ timeout: 20_000 });
  // Long enough for trades, decisions, tasks, an alert or two, and a chart of candles with trade markers.
  await page.waitForTimeout(75_000);
  // The pointer off the plot, so the readout shows the newest bar and no crosshair is drawn.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: out, fullPage: false });
  if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await app.stop();
}
