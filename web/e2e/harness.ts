import { existsSync, mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { InlineConfig } from 'vite';
import { startApp, type App, type AppOptions } from '../../server/app';

export const ROOT = resolve(import.meta.dirname, '../..');
export const STATIC_DIR = join(ROOT, 'dist/web');
export const CHROMIUM = '/usr/bin/chromium';
/** Outside CI a machine without Chromium skips the browser tests; in CI they always run (and fail without it). */
export const hasChromium = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Newest modification time under `dir` (ms), ignoring nothing but missing paths. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard into dist/web unless a build newer than every source file and the build's config is already there. */
export async function buildDashboard(): Promise<void> {
  const index = join(STATIC_DIR, 'index.html');
  const sources = Math.max(
    newestMtime(join(ROOT, 'web/src')),
    newestMtime(join(ROOT, 'web/build')),
    statSync(join(ROOT, 'web/index.html')).mtimeMs,
    statSync(join(ROOT, 'vite.config.ts')).mtimeMs,
    newestMtime(join(ROOT, 'shared')),
  );
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  await buildProduction({ logLevel: 'warn' });
}

/**
 * Runs `vite build` with the project's config and `inline` on top, as `npm run build` does. Vite
 * builds React's development code when NODE_ENV says anything but production (vitest sets
 * `test`): the page under test would be a slower, larger one than users get.
 */
export async function buildProduction(inline: InlineConfig = {}): Promise<void> {
  const { build } = await import('vite');
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'vite.config.ts'), root: join(ROOT, 'web'), mode: 'production', ...inline });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/** Starts a desk serving the built dashboard; the simulator is off unless asked for. */
export function startDesk(options: AppOptions = {}): Promise<App> {
  return startApp({ port: 0, staticDir: STATIC_DIR, sim: { enabled: false }, statsIntervalMs: 500, ...options });
}

/** What a test file's browser may do beyond the defaults. */
export interface BrowserOptions {
  /** Permissions granted to the page's origin, e.g. `['notifications']`. */
  permissions?: string[];
}

/** Headless Debian chromium in a fresh profile. */
export async function launchBrowser(browser: BrowserOptions = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'livedesk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    permissions: browser.permissions ?? [],
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the dashboard and collects console errors and page errors. */
export async function openDashboard(
  context: BrowserContext,
  url: string,
  options: { initScript?: () => void; onPage?: (page: Page) => void } = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  if (options.initScript) await page.addInitScript(options.initScript);
  // Before the page loads: listeners that must see its first requests.
  options.onPage?.(page);
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  await page.getByTestId('connection-badge').and(page.locator('[data-status="live"]')).waitFor({ timeout: 20_000 });
  return { page, errors };
}

/**
 * The built dashboard served by a desk, and a browser, for the enclosing `describe`: registers the
 * `beforeAll` that builds, starts and launches them and the `afterAll` that closes them. `options`
 * may be a function, read when the desk starts (e.g. to use a Redis started by an earlier hook).
 * A test that stops the desk may put a new one in `app`; that one is stopped after the suite.
 * `browserOptions` grants the file's browser more (permissions).
 */
export function useDashboard(options: AppOptions | (() => AppOptions) = {}, browserOptions: BrowserOptions = {}) {
  let app: App | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  beforeAll(async () => {
    await buildDashboard();
    app = await startDesk(typeof options === 'function' ? options() : options);
    browser = await launchBrowser(browserOptions);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useDashboard: the desk and browser start in beforeAll; read them from a hook or a test');
    return value;
  };
  return {
    get app(): App {
      return started(app);
    },
    set app(next: App) {
      app = next;
    },
    get context(): BrowserContext {
      return started(browser).context;
    },
  };
}
