import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p dir`, one level at a time. Node's `mkdirSync(dir, { recursive: true })` never returns
 * where the kernel answers ENOENT for a parent that exists (under `/proc`, `/sys`): it retries the
 * same parent forever, so a desk pointed there would hang at start-up instead of refusing. Here the
 * first level that cannot be made throws its own error (ENOENT, EACCES, ENOTDIR, EROFS …).
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); ) {
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (error) {
      // Made meanwhile by another process starting beside this one: that is what was asked.
      if ((error as { code?: string }).code === 'EEXIST' && statSync(level).isDirectory()) continue;
      throw error;
    }
  }
}

/** Makes the directory `file` goes into. */
export function makeParentDirectory(file: string): void {
  makeDirectories(dirname(file));
}
