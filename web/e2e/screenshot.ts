/**
 * Takes docs/img/dashboard.png: the built dashboard at 1440x900 in headless Chromium, on a desk
 * whose simulator has run long enough to fill every panel. `npx tsx web/e2e/screenshot.ts`.
 */
import { join } from 'node:path';
import { buildDashboard, launchBrowser, openDashboard, ROOT, startDesk } from './harness';

const out = join(ROOT, 'docs/img/dashboard.png');
await buildDashboard();
const app = await startDesk({ sim: { enabled: true, ticksPerSecond: 20, seed: 42 } });
const browser = await launchBrowser();
try {
  const { page, errors } = await openDashboard(browser.context, app.url);
  // Long enough for trades, decisions, tasks and an alert or two to appear.
  await page.waitForTimeout(12_000);
  await page.screenshot({ path: out, fullPage: false });
  if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await app.stop();
}
