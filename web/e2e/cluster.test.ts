import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { haveRedis, startRedis, type RedisServer } from '../../server/test/redis-server';
import { hasChromium, openDashboard, startDesk, useDashboard } from './harness';

const WAIT = 15_000;

describe.skipIf(!hasChromium || !haveRedis)('dashboard of a cluster in Chromium', () => {
  let redis: RedisServer;
  let b: App;
  const prefix = `e2e${Date.now()}`;
  const cluster = () => ({ url: redis.url, prefix, heartbeatMs: 300 });

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  // A, which runs the simulator, is the desk of `useDashboard`, started once Redis is; B joins it after.
  const desk = useDashboard(() => ({ cluster: cluster(), sim: { enabled: true, ticksPerSecond: 4 } }));
  beforeAll(async () => {
    b = await startDesk({ cluster: cluster() });
  });
  afterAll(async () => {
    await b?.stop();
  });

  it("the System panel shows every instance, the one running the simulator, and the cluster's totals", async () => {
    const { page, errors } = await openDashboard(desk.context, b.url);
    const table = page.getByTestId('instances-table');
    await table.waitFor({ timeout: WAIT });
    const rows = () => table.locator('tbody tr').allTextContents();
    await expect.poll(async () => (await rows()).length, { timeout: WAIT }).toBe(3);
    const text = (await rows()).join('\n');
    expect(text).toContain(desk.app.cluster!.instance);
    expect(text).toContain(b.cluster!.instance);
    const simRow = (await rows()).find((row) => row.includes('simulator'));
    expect(simRow).toContain(desk.app.cluster!.instance);
    // The page's own connection is counted on B.
    await expect.poll(async () => (await rows()).find((row) => row.includes(b.cluster!.instance)), { timeout: WAIT }).toMatch(/ready/);
    await expect.poll(async () => (await rows()).at(-1), { timeout: WAIT }).toMatch(/^2 instances[1-9]/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
