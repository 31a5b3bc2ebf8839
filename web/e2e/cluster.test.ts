import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { haveRedis, startRedis, type RedisServer } from '../../server/test/redis-server';
import { buildDashboard, hasChromium, launchBrowser, openDashboard, startDesk } from './harness';

const WAIT = 15_000;

describe.skipIf(!hasChromium || !haveRedis)('dashboard of a cluster in Chromium', () => {
  let redis: RedisServer;
  let a: App;
  let b: App;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    await buildDashboard();
    redis = await startRedis();
    const cluster = { url: redis.url, prefix: `e2e${Date.now()}`, heartbeatMs: 300 };
    a = await startDesk({ cluster, sim: { enabled: true, ticksPerSecond: 4 } });
    b = await startDesk({ cluster });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await b?.stop();
    await a?.stop();
    await redis?.stop();
  });

  it("the System panel shows every instance, the one running the simulator, and the cluster's totals", async () => {
    const { page, errors } = await openDashboard(browser.context, b.url);
    const table = page.getByTestId('instances-table');
    await table.waitFor({ timeout: WAIT });
    const rows = () => table.locator('tbody tr').allTextContents();
    await expect.poll(async () => (await rows()).length, { timeout: WAIT }).toBe(3);
    const text = (await rows()).join('\n');
    expect(text).toContain(a.cluster!.instance);
    expect(text).toContain(b.cluster!.instance);
    const simRow = (await rows()).find((row) => row.includes('simulator'));
    expect(simRow).toContain(a.cluster!.instance);
    // The page's own connection is counted on B.
    await expect.poll(async () => (await rows()).find((row) => row.includes(b.cluster!.instance)), { timeout: WAIT }).toMatch(/ready/);
    await expect.poll(async () => (await rows()).at(-1), { timeout: WAIT }).toMatch(/^2 instances[1-9]/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
