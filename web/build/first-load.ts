import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** One file of the first load, with its size as written and gzipped. */
export interface LoadedFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** What index.html loads before any lazy chunk, and its gzipped size by kind. */
export interface FirstLoad {
  files: LoadedFile[];
  gzipBytes: { js: number; css: number; html: number; total: number };
}

const TAG = /<(script|link)\b[^>]*>/gi;
const attribute = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];

/**
 * The files `html` makes the browser fetch before the page runs: module scripts, modulepreloads and
 * stylesheets with a same-origin path (in document order, each once). Lazy chunks are not among
 * them: they are fetched by `import()` when first rendered.
 */
export function firstLoadFiles(html: string): string[] {
  const files: string[] = [];
  for (const [tag, name] of html.matchAll(TAG)) {
    const rel = attribute(tag, 'rel')?.toLowerCase();
    const url = name!.toLowerCase() === 'script' ? attribute(tag, 'src') : rel === 'stylesheet' || rel === 'modulepreload' ? attribute(tag, 'href') : undefined;
    if (!url || !url.startsWith('/') || url.startsWith('//')) continue;
    const file = url.split(/[?#]/)[0]!.slice(1);
    if (!files.includes(file)) files.push(file);
  }
  return files;
}

/** The first load of the build in `dir`: index.html and what it loads, gzipped at level 9 as a server would send it. */
export function measureFirstLoad(dir: string): FirstLoad {
  const html = readFileSync(join(dir, 'index.html'));
  const files = [{ file: 'index.html', content: html }, ...firstLoadFiles(html.toString('utf8')).map((file) => ({ file, content: readFileSync(join(dir, file)) }))].map(
    ({ file, content }) => ({ file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length }),
  );
  const sum = (ending: string) => files.filter((f) => f.file.endsWith(ending)).reduce((total, f) => total + f.gzipBytes, 0);
  const gzipBytes = { js: sum('.js'), css: sum('.css'), html: sum('.html') };
  return { files, gzipBytes: { ...gzipBytes, total: gzipBytes.js + gzipBytes.css + gzipBytes.html } };
}

/** `1234` as `1.2 kB`, as Vite prints sizes. */
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** One line: the first load's gzipped total and its parts. */
export function describeFirstLoad(load: FirstLoad): string {
  const { js, css, html, total } = load.gzipBytes;
  return `first load (index.html and what it loads before any lazy chunk): ${kB(total)} gzip (js ${kB(js)}, css ${kB(css)}, html ${kB(html)}; ${load.files.length} files)`;
}

/** Prints the first load's gzipped size after each build. */
export function reportFirstLoad(): Plugin {
  let outDir = '';
  let info: (message: string) => void = console.log;
  return {
    name: 'livedesk:report-first-load',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      info = (message) => config.logger.info(message);
    },
    // After every file is written (index.html goes last, see keepPreviousBuild).
    closeBundle() {
      info(describeFirstLoad(measureFirstLoad(outDir)));
    },
  };
}
