import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeFirstLoad, firstLoadFiles, kB, measureFirstLoad, type FirstLoad } from '../build/first-load';
import { BUILD_FILES } from '../build/keep-previous-build';
import { buildDashboard, hasChromium, openDashboard, STATIC_DIR, useDashboard } from './harness';

/**
 * The most the page may fetch, gzipped, before it first renders: index.html, its scripts,
 * modulepreloads and stylesheets. 110.6 kB when the chart and the forms became lazy (from 176.9 kB
 * with everything in one chunk), 119.5 kB with Radix's tabs, 147.7 kB with all of react-grid-layout,
 * 127.8 kB with only its core (the panels' placement) at once and its drag code lazy; a dependency
 * that pushes it over belongs in a lazy part, or says here why the page needs it at once. 138.9 kB
 * with the multiplexed SSE transport lazy (1.1 kB that only a page on `?transport=sse` needs).
 */
const FIRST_LOAD_CEILING_BYTES = 140_000;

/** Lazy parts, by the start of their file names, and a string only their code contains. */
const LAZY = [
  { chunk: 'price-chart-', what: 'lightweight-charts', marker: 'tv-lightweight-charts' },
  { chunk: 'control-panel-', what: 'the control panel', marker: null },
  { chunk: 'forms-', what: 'zod', marker: 'ZodError' },
  { chunk: 'arrange-layer-', what: 'react-draggable', marker: 'react-draggable-dragging' },
  { chunk: 'sse-mux-', what: 'the multiplexed SSE transport (?transport=sse)', marker: null },
] as const;

describe('the first load of the built dashboard', () => {
  let load: FirstLoad;
  let files: string[];
  let written: string[];
  const text = (file: string) => readFileSync(join(STATIC_DIR, file), 'utf8');
  beforeAll(async () => {
    await buildDashboard();
    load = measureFirstLoad(STATIC_DIR);
    files = firstLoadFiles(text('index.html'));
    written = JSON.parse(text(BUILD_FILES)) as string[];
  }, 120_000);

  it(`stays under ${kB(FIRST_LOAD_CEILING_BYTES)} gzipped`, () => {
    const sizes = load.files.map((f) => `${f.file} ${kB(f.gzipBytes)}`).join(', ');
    expect(load.gzipBytes.total, `${describeFirstLoad(load)}: ${sizes}`).toBeLessThan(FIRST_LOAD_CEILING_BYTES);
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    expect(files.some((file) => file.endsWith('.css'))).toBe(true);
  });

  it.each(LAZY)('leaves out $chunk* ($what), which is loaded when first rendered', ({ chunk, marker }) => {
    const lazy = written.filter((file) => file.startsWith(`assets/${chunk}`) && file.endsWith('.js'));
    expect(lazy, `the build has no ${chunk}*.js: ${written.join(', ')}`).not.toEqual([]);
    for (const file of lazy) expect(files).not.toContain(file);
    if (marker === null) return;
    // The library's own code, not only the chunk's name, stays out of what loads first.
    expect(lazy.some((file) => text(file).includes(marker))).toBe(true);
    for (const file of files.filter((f) => f.endsWith('.js'))) expect(text(file).includes(marker), `${marker} in ${file}`).toBe(false);
  });
});

describe.skipIf(!hasChromium)('the lazy parts in the browser', () => {
  const dashboard = useDashboard({ sim: { enabled: true, ticksPerSecond: 20 } });

  it('load after the first paint: the chart and the controls arrive, their files fetched by the page', async () => {
    const { page, errors } = await openDashboard(dashboard.context, dashboard.app.url);
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await page.reload();
    await page.getByTestId('sim-start').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="price-chart"] canvas').first().waitFor({ timeout: 20_000 });
    expect(fetched.some((path) => /\/assets\/control-panel-[\w-]+\.js$/.test(path))).toBe(true);
    expect(fetched.some((path) => /\/assets\/price-chart-[\w-]+\.js$/.test(path))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('say so in their place when their code cannot be fetched, and the rest of the page stays', async () => {
    const page = await dashboard.context.newPage();
    await page.route(/\/assets\/control-panel-[\w-]+\.js$/, (route) => route.abort());
    await page.goto(dashboard.app.url);
    const error = page.getByTestId('panel-control').getByTestId('lazy-part-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toMatch(/^The controls could not be loaded .*Reload the page$/);
    await page.getByTestId('price-row-AAPL').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="connection-badge"][data-status="live"]').waitFor({ timeout: 20_000 });
    await page.close();
  });
});
