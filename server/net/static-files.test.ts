import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertOutsideStatic, isPrivatePath } from './static-files';

describe('isPrivatePath', () => {
  it.each(['/.env', '/.git/config', '/a/.hidden/x.js', '/data/desk.db', '/desk.db-wal', '/x.sqlite3', '/data/admin-token', '/%2eenv', '/data%2Fdesk.db', '/DESK.DB', '/%'])('hides %s', (path) => {
    expect(isPrivatePath(path)).toBe(true);
  });

  it.each(['/', '/index.html', '/assets/index-abc.js', '/assets/db.js', '/trades/desk', '/admin-token-help'])('serves %s', (path) => {
    expect(isPrivatePath(path)).toBe(false);
  });
});

describe('assertOutsideStatic', () => {
  const root = mkdtempSync(join(tmpdir(), 'static-check-'));
  mkdirSync(join(root, 'web'));
  mkdirSync(join(root, 'data'));
  symlinkSync(join(root, 'web'), join(root, 'link-to-web'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('accepts data beside the static folder, and throwaway databases', () => {
    expect(() => assertOutsideStatic(join(root, 'web'), [join(root, 'data', 'desk.db'), ':memory:'])).not.toThrow();
    expect(() => assertOutsideStatic(join(root, 'web'), [join(root, 'web-data', 'desk.db')])).not.toThrow();
  });

  it('refuses data inside it, by a relative path, through a symlink, or not created yet', () => {
    expect(() => assertOutsideStatic(join(root, 'web'), [join(root, 'web', 'data', 'desk.db')])).toThrow(/inside the static folder/);
    expect(() => assertOutsideStatic(join(root, 'web'), [join(root, 'web', 'admin-token')])).toThrow(/admin-token is inside/);
    expect(() => assertOutsideStatic(join(root, 'web', '..', 'web'), [join(root, 'link-to-web', 'new', 'desk.db')])).toThrow(/inside the static folder/);
    expect(() => assertOutsideStatic(root, [join(root, 'data', 'desk.db')])).toThrow(/inside the static folder/);
  });
});
