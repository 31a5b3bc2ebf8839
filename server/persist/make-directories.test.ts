import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectories, makeParentDirectory } from './make-directories';

const root = () => mkdtempSync(join(tmpdir(), 'make-dirs-'));

describe('makeDirectories', () => {
  it('makes every missing level and leaves existing ones', () => {
    const base = root();
    makeDirectories(join(base, 'a', 'b', 'c'));
    expect(statSync(join(base, 'a', 'b', 'c')).isDirectory()).toBe(true);
    makeDirectories(join(base, 'a', 'b', 'c'));
    makeParentDirectory(join(base, 'x', 'desk.db'));
    expect(statSync(join(base, 'x')).isDirectory()).toBe(true);
  });

  it('throws for a level under a file', () => {
    const base = root();
    writeFileSync(join(base, 'f'), 'x');
    expect(() => makeDirectories(join(base, 'f', 'd'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  // `mkdirSync('/proc/x', { recursive: true })` never returns on Linux: this would hang the worker.
  it.runIf(process.platform === 'linux')('throws under /proc, where the kernel answers ENOENT for a parent that exists', () => {
    expect(() => makeDirectories('/proc/livedesk-no-such/data')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
