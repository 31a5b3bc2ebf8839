import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

/** The dashboard under its Content-Security-Policy, and another site trying to frame it. */
describe.skipIf(!hasChromium)('dashboard headers in Chromium', () => {
  let evil: Server;
  let evilUrl: string;

  // Registered before the dashboard's hooks so that it closes after the browser, which holds
  // keep-alive connections to it that would keep close() waiting.
  beforeAll(async () => {
    evil = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>evil</title><iframe id="desk" src="${desk.app.url}/" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => evil?.close(resolve));
  });
  const desk = useDashboard();

  it('loads live under its CSP with no violation', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const response = await page.reload();
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.getByTestId('connection-badge').and(page.locator('[data-status="live"]')).waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('cannot be framed by another site', async () => {
    const page = await desk.context.newPage();
    const refused = page.waitForEvent('console', { predicate: (msg) => /frame-ancestors|X-Frame-Options/i.test(msg.text()), timeout: 20_000 });
    await page.goto(evilUrl);
    expect((await refused).text()).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    // Chromium shows its own error page in place of the dashboard.
    expect(await frame?.locator('[data-testid="connection-badge"]').count().catch(() => 0)).toBe(0);
    await page.close();
  });
});
