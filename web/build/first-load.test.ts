import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFirstLoad, firstLoadFiles, measureFirstLoad } from './first-load';

const html = `<!doctype html>
<html><head>
  <link rel="icon" href="/favicon.svg" />
  <script type="module" crossorigin src="/assets/index-a1.js"></script>
  <link rel="modulepreload" crossorigin href="/assets/vendor-b2.js">
  <link rel='stylesheet' crossorigin href='/assets/index-c3.css?v=1'>
  <link rel="stylesheet" href="https://fonts.example.com/x.css">
  <script src="//cdn.example.com/y.js"></script>
  <link rel="preconnect" href="/assets/not-loaded.js">
</head><body><div id="root"></div><script type="module" src="/assets/index-a1.js"></script></body></html>`;

describe('firstLoadFiles', () => {
  it('lists the scripts, modulepreloads and stylesheets of the page, once each, in document order', () => {
    expect(firstLoadFiles(html)).toEqual(['assets/index-a1.js', 'assets/vendor-b2.js', 'assets/index-c3.css']);
  });

  it('leaves out icons, other origins and links that load nothing', () => {
    const files = firstLoadFiles(html);
    expect(files).not.toContain('favicon.svg');
    expect(files.some((file) => file.includes('example.com') || file.includes('not-loaded'))).toBe(false);
  });
});

describe('measureFirstLoad', () => {
  const dir = mkdtempSync(join(tmpdir(), 'first-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds up the gzipped sizes of index.html and what it loads, and nothing else', () => {
    mkdirSync(join(dir, 'assets'));
    const js = 'export const a = 1;'.repeat(200);
    const css = 'body { color: red }';
    writeFileSync(join(dir, 'index.html'), '<script type="module" src="/assets/a.js"></script><link rel="stylesheet" href="/assets/a.css">');
    writeFileSync(join(dir, 'assets', 'a.js'), js);
    writeFileSync(join(dir, 'assets', 'a.css'), css);
    writeFileSync(join(dir, 'assets', 'lazy.js'), 'x'.repeat(100_000));
    const load = measureFirstLoad(dir);
    expect(load.files.map((f) => f.file)).toEqual(['index.html', 'assets/a.js', 'assets/a.css']);
    expect(load.gzipBytes.js).toBe(gzipSync(js, { level: 9 }).length);
    expect(load.gzipBytes.css).toBe(gzipSync(css, { level: 9 }).length);
    expect(load.gzipBytes.total).toBe(load.gzipBytes.js + load.gzipBytes.css + load.gzipBytes.html);
    expect(describeFirstLoad(load)).toMatch(/^first load .*: \d+\.\d kB gzip \(js \d+\.\d kB, css \d+\.\d kB, html \d+\.\d kB; 3 files\)$/);
  });
});
