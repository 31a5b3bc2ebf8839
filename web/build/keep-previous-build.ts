import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** Where a build lists the files it wrote, for the next build to keep (a dotfile: never served). */
export const BUILD_FILES = '.build-files.json';

/**
 * Lets a desk serve its folder while a new build is written into it: nothing is emptied first, the
 * new hashed files are written beside the old ones, index.html goes last and in one rename (a page
 * load sees the old build or the new one, never a mix), and only then are hashed files that neither
 * this build nor the one before it wrote removed. A tab still open on the previous build can load
 * its lazy chunks; the folder holds at most two builds.
 */
export function keepPreviousBuild(): Plugin {
  const pages = new Map<string, string | Uint8Array>();
  return {
    name: 'livedesk:keep-previous-build',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type !== 'asset' || !fileName.endsWith('.html')) continue;
        pages.set(fileName, output.source);
        delete bundle[fileName];
      }
    },
    writeBundle(options, bundle) {
      const dir = options.dir;
      if (!dir) return;
      for (const [fileName, source] of pages) {
        const path = join(dir, fileName);
        mkdirSync(dirname(path), { recursive: true });
        const temporary = join(dirname(path), `.${Date.now()}-${process.pid}.tmp`);
        writeFileSync(temporary, source);
        renameSync(temporary, path);
      }
      pages.clear();
      const written = Object.keys(bundle);
      const keep = new Set([...written, ...previousFiles(dir)]);
      for (const file of filesUnder(dir, 'assets')) if (!keep.has(file)) rmSync(join(dir, file), { force: true });
      writeFileSync(join(dir, BUILD_FILES), `${JSON.stringify(written)}\n`);
    },
  };
}

/** The files the previous build wrote, or none if it left no list. */
function previousFiles(dir: string): string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(join(dir, BUILD_FILES), 'utf8'));
    return Array.isArray(list) ? list.filter((file): file is string => typeof file === 'string') : [];
  } catch {
    return [];
  }
}

/** Paths relative to `dir` (with `/`) of the files under `dir/sub`. */
function filesUnder(dir: string, sub: string): string[] {
  const root = join(dir, sub);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${sub}/${join(entry.parentPath, entry.name).slice(root.length + 1).split('\\').join('/')}`);
}
