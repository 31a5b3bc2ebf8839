import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAIN_DESK, PANEL_IDS } from '../src/features/layout/breakpoints';
import { LAYOUT_STORAGE_KEY } from '../src/features/layout/saved-layouts';
import { seriousAxeFindings } from './axe';
import { hasChromium, ROOT, useDashboard } from './harness';

const WAIT = 15_000;
const ARTIFACTS = join(ROOT, 'artifacts');

interface Box {
  id: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Where each panel is on the page (not the window: a drag may scroll), the header's bottom edge, and the page's scroll extent. */
const measure = (page: Page) =>
  page.evaluate((ids) => {
    const doc = document.scrollingElement!;
    const boxes = ids.flatMap((id) => {
      const el = document.querySelector(`[data-testid="panel-${id}"]`);
      if (!el) return [];
      const r = el.getBoundingClientRect();
      return [{ id, top: Math.round(r.top + scrollY), left: Math.round(r.left + scrollX), bottom: Math.round(r.bottom + scrollY), right: Math.round(r.right + scrollX) }];
    });
    return {
      boxes,
      headerBottom: document.querySelector('.app-header')!.getBoundingClientRect().bottom + scrollY,
      scrollHeight: doc.scrollHeight,
      scrollWidth: doc.scrollWidth,
      innerHeight,
      innerWidth,
      breakpoint: document.querySelector('[data-testid="desk"]')?.getAttribute('data-breakpoint'),
    };
  }, [...PANEL_IDS]);

/** A panel wholly on screen, under the sticky header, and big enough to read. */
const onScreen = (box: Box, m: { headerBottom: number; innerHeight: number; innerWidth: number }) =>
  box.top >= m.headerBottom - 1 && box.left >= 0 && box.bottom <= m.innerHeight && box.right <= m.innerWidth && box.bottom - box.top >= 90;

const boxOf = (boxes: Box[], id: string) => {
  const box = boxes.find((b) => b.id === id);
  if (!box) throw new Error(`panel ${id} is not on the page`);
  return box;
};

describe.skipIf(!hasChromium)('the one-screen layout in Chromium', () => {
  const desk = useDashboard();
  const errors: string[] = [];

  beforeAll(() => {
    // enough rows that the feeds and blotters have more than their panels hold
    desk.app.desk.activity.pushNotification({ title: 'Desk opened', body: 'all systems normal', severity: 'info' });
    desk.app.desk.activity.raiseSystemAlert({ component: 'gateway', severity: 'warning', message: 'latency above 50 ms' });
    desk.app.desk.market.createAlertRule({ symbol: 'AAPL', condition: 'above', threshold: 1, severity: 'critical' });
    desk.app.sim.step(200);
  });

  /** Opens the desk in a window of `width` x `height`, waits until it is live and laid out for that size. */
  const openAt = async (width: number, height: number, breakpoint: string) => {
    const page = await desk.context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.setViewportSize({ width, height });
    // no sliding into place: what is measured is where a panel is, not where it is passing through
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(desk.app.url);
    await page.getByTestId('connection-badge').and(page.locator('[data-status="live"]')).waitFor({ timeout: WAIT });
    await page.locator(`[data-testid="desk"][data-breakpoint="${breakpoint}"]`).waitFor({ timeout: WAIT });
    await page.getByTestId('price-row-AAPL').waitFor({ timeout: WAIT });
    await settled(page);
    return page;
  };

  /** Waits until no panel moves between two looks (the grid animates into place). */
  const settled = async (page: Page) => {
    let last = '';
    await expect
      .poll(
        async () => {
          const now = JSON.stringify((await measure(page)).boxes);
          const same = now === last;
          last = now;
          return same;
        },
        { timeout: WAIT, interval: 300 },
      )
      .toBe(true);
  };

  /**
   * The equity curve, its figures and its range switch lie inside the Portfolio panel's visible
   * body, not under its fold (where the body would only scroll to them), the curve some pixels tall.
   */
  const expectCurveInPanel = async (page: Page) => {
    await page.getByTestId('equity-curve').waitFor({ timeout: WAIT });
    const boxes = await page.evaluate(() => {
      const box = (el: Element | null) => {
        const r = el!.getBoundingClientRect();
        return { top: Math.round(r.top), bottom: Math.round(r.bottom), left: Math.round(r.left), right: Math.round(r.right) };
      };
      const panel = document.querySelector('[data-testid="panel-portfolio"]')!;
      return {
        body: box(panel.querySelector('.panel-body')),
        parts: ['equity-curve', 'equity-drawdown', 'equity-max-drawdown', 'equity-day-pnl', 'equity-range'].map((id) => ({ id, ...box(panel.querySelector(`[data-testid="${id}"]`)) })),
      };
    });
    for (const { id, ...part } of boxes.parts) {
      const inside = part.top >= boxes.body.top && part.bottom <= boxes.body.bottom && part.left >= boxes.body.left && part.right <= boxes.body.right;
      expect({ id, inside, box: part, body: boxes.body }).toMatchObject({ id, inside: true });
    }
    const curve = boxes.parts[0]!;
    expect(curve.bottom - curve.top).toBeGreaterThanOrEqual(16);
  };

  /** Saves what the window shows, once the chart has drawn a line of live prices. */
  const screenshot = async (page: Page, name: string) => {
    desk.app.sim.configure({ running: true, ticksPerSecond: 50 });
    try {
      await expect.poll(async () => Number(await page.getByTestId('price-chart').getAttribute('data-points')), { timeout: WAIT }).toBeGreaterThan(10);
    } finally {
      desk.app.sim.stop();
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `layout-${name}.png`) });
  };

  it('fits every panel of the desk into 1920x1080 with no page scrolling', async () => {
    const page = await openAt(1920, 1080, 'xl');
    const m = await measure(page);
    expect(m.scrollHeight).toBeLessThanOrEqual(m.innerHeight);
    expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
    expect(m.boxes.map((b) => b.id).sort()).toEqual([...PANEL_IDS].sort());
    // the main desk, and at this size the secondary panels too, all wholly on screen
    for (const box of m.boxes) expect({ id: box.id, onScreen: onScreen(box, m) }).toEqual({ id: box.id, onScreen: true });
    // each panel fills its grid cell, whatever wraps it
    const fill = await page.evaluate((ids) => ids.map((id) => {
      const panel = document.querySelector(`[data-testid="panel-${id}"]`)!.getBoundingClientRect();
      const cell = document.querySelector(`[data-testid="desk-item-${id}"]`)!.getBoundingClientRect();
      return { id, width: Math.round(panel.width - cell.width), height: Math.round(panel.height - cell.height) };
    }), [...PANEL_IDS]);
    expect(fill).toEqual(PANEL_IDS.map((id) => ({ id, width: 0, height: 0 })));
    // a blotter with more rows than its panel holds scrolls inside the panel, not the page
    const body = await page.getByTestId('panel-decisions').locator('.panel-body').evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight, overflow: getComputedStyle(el).overflowY }));
    expect(body.overflow).toBe('auto');
    expect(body.scroll).toBeGreaterThan(body.client);
    await expectCurveInPanel(page);
    await screenshot(page, '1920x1080');
    await page.close();
  });

  for (const [width, height] of [
    [1440, 900],
    [1280, 800],
  ] as const)
    it(`shows the whole main desk at ${width}x${height} without horizontal scrolling, the rest below`, async () => {
      const page = await openAt(width, height, 'lg');
      const m = await measure(page);
      expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
      for (const id of MAIN_DESK) expect({ id, onScreen: onScreen(boxOf(m.boxes, id), m) }).toEqual({ id, onScreen: true });
      // the other panels (feeds, custom events, metrics, system, control) are reachable below the main desk
      for (const id of PANEL_IDS.filter((panel) => !MAIN_DESK.includes(panel))) {
        const box = boxOf(m.boxes, id);
        expect(box.top).toBeGreaterThanOrEqual(Math.max(...MAIN_DESK.map((main) => boxOf(m.boxes, main).bottom)));
        expect(box.right).toBeLessThanOrEqual(m.innerWidth);
      }
      await expectCurveInPanel(page);
      await screenshot(page, `${width}x${height}`);
      await page.close();
    });

  it('stacks the panels on a phone, no horizontal scrolling, the connection badge in view at the bottom', async () => {
    const page = await openAt(390, 844, 'sm');
    const m = await measure(page);
    expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
    // one column: every panel the width of the screen less the gaps, one under another
    const sorted = [...m.boxes].sort((a, b) => a.top - b.top);
    for (const box of sorted) {
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(m.innerWidth);
      expect(box.right - box.left).toBeGreaterThan(m.innerWidth - 40);
    }
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.top).toBeGreaterThanOrEqual(sorted[i - 1]!.bottom);
    // alerts come right after the portfolio, before the long panels
    expect(sorted.slice(0, 2).map((b) => b.id)).toEqual(['portfolio', 'alerts']);
    await screenshot(page, '390x844');
    // arranging on a phone: the grips fit and break no accessibility rule
    await page.getByTestId('layout-arrange').click();
    await page.getByTestId('grip-portfolio').waitFor({ timeout: WAIT });
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= innerWidth)).toBe(true);
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
    await expect.poll(() => page.evaluate(() => scrollY), { timeout: WAIT }).toBeGreaterThan(1000);
    const badge = await page.getByTestId('connection-badge').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, innerHeight, innerWidth };
    });
    expect(badge.top).toBeGreaterThanOrEqual(0);
    expect(badge.bottom).toBeLessThanOrEqual(badge.innerHeight);
    expect(badge.right).toBeLessThanOrEqual(badge.innerWidth);
    await page.close();
  });

  it('keeps a rearranged and resized layout across a reload, per screen size, until reset; Escape ends arranging', async () => {
    const wide = await openAt(1920, 1080, 'xl');
    const xlDefault = (await measure(wide)).boxes;
    await wide.close();

    const page = await openAt(1440, 900, 'lg');
    const lgDefault = (await measure(page)).boxes;
    await page.getByTestId('layout-arrange').click();
    expect(await page.getByTestId('layout-arrange').getAttribute('aria-pressed')).toBe('true');
    // the grips and the reset control keep the page free of serious accessibility faults
    await page.getByTestId('grip-control').waitFor({ timeout: WAIT });
    expect(await seriousAxeFindings(page)).toEqual([]);

    // by keyboard: the grip of Prices, an arrow moves it one column; focus stays on the grip
    await page.getByTestId('grip-prices').focus();
    await page.keyboard.press('ArrowRight');
    const left = async () => boxOf((await measure(page)).boxes, 'prices').left;
    await expect.poll(left, { timeout: WAIT }).toBeGreaterThan(boxOf(lgDefault, 'prices').left + 20);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('grip-prices');
    expect(await page.getByTestId('layout-announcement').textContent()).toMatch(/^Prices: column 2, row 5/);
    // Shift+arrow resizes: one row taller
    await page.keyboard.press('Shift+ArrowDown');
    const height = async () => {
      const box = boxOf((await measure(page)).boxes, 'prices');
      return box.bottom - box.top;
    };
    await expect.poll(height, { timeout: WAIT }).toBeGreaterThan(boxOf(lgDefault, 'prices').bottom - boxOf(lgDefault, 'prices').top + 20);

    // by mouse: drag the corner of Alerts to make it wider, then drag Agents by its grip to the left
    const handle = page.getByTestId('arrange-item-alerts').locator('.react-resizable-handle');
    await handle.scrollIntoViewIfNeeded();
    const h = (await handle.boundingBox())!;
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x - 40, h.y + 120, { steps: 8 });
    await page.mouse.up();
    await settled(page);
    await page.getByTestId('grip-agents').scrollIntoViewIfNeeded();
    const grip = (await page.getByTestId('grip-agents').boundingBox())!;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(grip.x - 500, grip.y + 10, { steps: 12 });
    await page.mouse.up();
    await settled(page);
    const arranged = (await measure(page)).boxes;
    expect(boxOf(arranged, 'alerts').bottom).toBeGreaterThan(boxOf(lgDefault, 'alerts').bottom + 60);
    expect(boxOf(arranged, 'agents').left).toBeLessThan(boxOf(lgDefault, 'agents').left - 200);
    const saved = JSON.parse((await page.evaluate((key) => localStorage.getItem(key), LAYOUT_STORAGE_KEY)) ?? '{}');
    expect(Object.keys(saved)).toEqual(['lg']);

    // a reload brings the same arrangement back
    await page.reload();
    await page.getByTestId('connection-badge').and(page.locator('[data-status="live"]')).waitFor({ timeout: WAIT });
    await page.getByTestId('price-row-AAPL').waitFor({ timeout: WAIT });
    await settled(page);
    expect((await measure(page)).boxes).toEqual(arranged);

    // another screen size keeps its own layout: at 1920x1080 the default is untouched
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('[data-testid="desk"][data-breakpoint="xl"]').waitFor({ timeout: WAIT });
    await settled(page);
    expect((await measure(page)).boxes).toEqual(xlDefault);

    // reset puts this size back as it started
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-testid="desk"][data-breakpoint="lg"]').waitFor({ timeout: WAIT });
    await page.getByTestId('layout-arrange').click();
    await page.getByTestId('layout-reset').click();
    // Escape on a grip ends arranging and hands focus back to the Arrange button, not to <body>
    await page.getByTestId('grip-prices').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('arrange-layer').waitFor({ state: 'detached', timeout: WAIT });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('layout-arrange');
    expect(await page.getByTestId('layout-arrange').getAttribute('aria-pressed')).toBe('false');
    await settled(page);
    expect((await measure(page)).boxes).toEqual(lgDefault);
    expect(await page.evaluate((key) => localStorage.getItem(key), LAYOUT_STORAGE_KEY)).toBe('{}');
    await page.close();
  });

  it('logged no console errors: no layout style was refused by the Content-Security-Policy', () => {
    expect(errors).toEqual([]);
  });
});
