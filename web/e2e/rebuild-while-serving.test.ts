import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../server/app';
import { firstLoadFiles } from '../build/first-load';
import { buildProduction } from './harness';

/** Builds the dashboard into `outDir`; `tag` goes into every file name, so each build's names differ. */
async function buildInto(outDir: string, tag: string): Promise<void> {
  const names = (kind: string) => `assets/[name]-${tag}-[hash].${kind}`;
  await buildProduction({
    logLevel: 'silent',
    build: { outDir, rolldownOptions: { output: { entryFileNames: names('js'), chunkFileNames: names('js'), assetFileNames: 'assets/[name]-' + tag + '-[hash][extname]' } } },
  });
}

interface Load {
  html: string;
  files: string[];
  /** Every path of the load that was not answered 200 with the body and headers it should have. */
  failures: string[];
}

/** Loads the page as a browser would before it runs: index.html, then every file it references. */
async function loadPage(url: string): Promise<Load> {
  const page = await fetch(`${url}/`);
  const html = await page.text();
  const failures: string[] = [];
  if (page.status !== 200 || page.headers.get('cache-control') !== 'no-cache' || !html.includes('<div id="root">')) failures.push(`/ ${page.status}`);
  const files = firstLoadFiles(html);
  if (files.length === 0) failures.push('/ references no files');
  await Promise.all(
    files.map(async (file) => {
      const res = await fetch(`${url}/${file}`);
      const body = await res.arrayBuffer();
      const type = file.endsWith('.js') ? 'text/javascript' : 'text/css';
      if (res.status !== 200 || body.byteLength === 0 || !res.headers.get('content-type')?.startsWith(type) || !res.headers.get('cache-control')?.includes('immutable')) {
        failures.push(`/${file} ${res.status} ${res.headers.get('content-type')}`);
      }
    }),
  );
  return { html, files, failures };
}

const status = async (url: string) => (await fetch(url).then(async (res) => (await res.arrayBuffer(), res.status)));

describe('a rebuild while the desk serves the dashboard', () => {
  let dir: string;
  let outDir: string;
  /** Started after the first build, as `npm start` does; the rebuilds below happen while it serves. */
  let app: App;
  const start = () => startApp({ port: 0, staticDir: outDir, sim: { enabled: false }, statsIntervalMs: 3_600_000 });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'livedesk-rebuild-'));
    outDir = join(dir, 'web');
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the dashboard is not built until it is, then serves it', async () => {
    // Started before the first build, as `npm run serve` in one terminal and `npm run build` in another.
    const early = await start();
    try {
      const res = await fetch(`${early.url}/`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('npm run build') });
      await buildInto(outDir, 'one');
      const load = await loadPage(early.url);
      expect(load.failures).toEqual([]);
      expect(load.files.every((file) => file.includes('-one-'))).toBe(true);
    } finally {
      await early.stop();
    }
    app = await start();
  });

  let second: Load;
  it('serves the old build or the new one, complete, at every moment of a rebuild, then the new one', async () => {
    const first = await loadPage(app.url);
    let building = true;
    const loads: Load[] = [];
    const reloading = (async () => {
      while (building) loads.push(await loadPage(app.url));
    })();
    await buildInto(outDir, 'two');
    building = false;
    await reloading;
    expect(loads.length).toBeGreaterThan(0);
    second = await loadPage(app.url);
    expect(loads.flatMap((load) => load.failures)).toEqual([]);
    for (const load of loads) expect([first.html, second.html]).toContain(load.html);
    expect(second.failures).toEqual([]);
    expect(second.files.every((file) => file.includes('-two-'))).toBe(true);
    // A tab still open on the first build can fetch its files (lazy chunks above all).
    for (const file of first.files) expect(await status(`${app.url}/${file}`), file).toBe(200);
  });

  it('answers a conditional request with 304 and HEAD with the headers alone', async () => {
    const [file] = second.files;
    const full = await fetch(`${app.url}/${file}`);
    const length = (await full.arrayBuffer()).byteLength;
    const etag = full.headers.get('etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await fetch(`${app.url}/${file}`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    const head = await fetch(`${app.url}/${file}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(length);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(`${app.url}/${file}`, { method: 'POST' })).status).toBe(404);
  });

  it('keeps two builds at most: a third removes the first', async () => {
    await buildInto(outDir, 'three');
    const third = await loadPage(app.url);
    expect(third.failures).toEqual([]);
    expect(third.files.every((file) => file.includes('-three-'))).toBe(true);
    for (const file of second.files) expect(await status(`${app.url}/${file}`), file).toBe(200);
    for (const file of second.files.map((name) => name.replace('-two-', '-one-'))) {
      expect(existsSync(join(outDir, file)), file).toBe(false);
    }
  });
});
