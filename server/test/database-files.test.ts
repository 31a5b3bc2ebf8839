import { existsSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk } from '../store/desk';
import { exited, freePort, runCommand, spawnServer, TEST_TOKEN } from './process';

const dir = () => mkdtempSync(join(tmpdir(), 'db-files-'));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `server/main.ts` on `db` and expects it to refuse: exit 1 and one line, no stack trace. */
async function refusal(db: string) {
  const port = await freePort();
  const env = { PORT: String(port), HOST: '127.0.0.1', DESK_SIM: '0', DESK_DB: db, DESK_ADMIN_TOKENS: TEST_TOKEN, LOG_LEVEL: 'warn' };
  const { code, stdout, stderr } = await runCommand(['server/main.ts'], env);
  expect(code).toBe(1);
  expect(stdout).not.toMatch(/listening/);
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toContain(db);
  return lines[0]!;
}

describe('database files at start-up', () => {
  it('refuses an empty desk.db instead of starting a new desk over it, and leaves it alone', async () => {
    const db = join(dir(), 'desk.db');
    writeFileSync(db, '');
    expect(await refusal(db)).toMatch(/is empty \(0 bytes\).*remove it to start a new, empty desk/);
    expect(statSync(db).size).toBe(0);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('refuses a file that is not a database, naming it and what to do', async () => {
    const db = join(dir(), 'desk.db');
    writeFileSync(db, 'these are not the pages you are looking for\n'.repeat(100));
    expect(await refusal(db)).toMatch(/is not a SQLite database; move it away/);
  });

  it('refuses a truncated database', async () => {
    const db = join(dir(), 'desk.db');
    const desk = createDesk({ journal: { path: db } });
    for (let i = 0; i < 2_000; i++) desk.activity.broadcastCustom({ type: 'fill', data: 'x'.repeat(200) });
    desk.journal!.close();
    truncateSync(db, Math.floor(statSync(db).size / 2));
    expect(await refusal(db)).toMatch(/truncated|damaged/);
  });

  it('opens a database whose last checkpoint was killed midway: page 1 already says the new size, the WAL holds the rest', async () => {
    const source = join(dir(), 'desk.db');
    const desk = createDesk({ journal: { path: source } });
    desk.journal!.db.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 500; i++) desk.activity.broadcastCustom({ type: 'fill', data: 'x'.repeat(200) });
    // The files as a kill -9 inside the checkpoint leaves them: the WAL whole, the file short of
    // what its header (page 1, written first) now counts.
    const db = join(dir(), 'desk.db');
    const main = readFileSync(source);
    const pages = (desk.journal!.db.pragma('page_count', { simple: true }) as number) + 50;
    main.writeUInt32BE(pages, 28);
    main.writeUInt32BE(main.readUInt32BE(24), 92);
    writeFileSync(db, main);
    writeFileSync(`${db}-wal`, readFileSync(`${source}-wal`));
    desk.journal!.close();
    expect(statSync(db).size).toBeLessThan(pages * main.readUInt16BE(16));
    const reopened = createDesk({ journal: { path: db } });
    expect(reopened.topics.custom.buffer.last(1000, () => true)).toHaveLength(500);
    reopened.journal!.close();
  });

  it('refuses a directory it cannot create, with what to set instead', async () => {
    const root = dir();
    writeFileSync(join(root, 'a-file'), 'x');
    const db = join(root, 'a-file', 'data', 'desk.db');
    expect(await refusal(db)).toMatch(/cannot open .* for writing .*set DESK_DB or DESK_DATA_DIR/);
  });

  // Node's recursive mkdir retries forever where the kernel answers ENOENT for a parent that exists.
  it.runIf(process.platform === 'linux')('refuses a directory under /proc instead of hanging', async () => {
    expect(await refusal('/proc/livedesk-no-such/data/desk.db')).toMatch(/cannot open .* for writing .*set DESK_DB or DESK_DATA_DIR/);
  });

  it('creates a new database complete under a temporary name, readable by its user only', async () => {
    const db = join(dir(), 'desk.db');
    // Left by a creation that was interrupted: it never became the database, so it is replaced.
    writeFileSync(`${db}.creating`, 'half-written');
    const port = await freePort();
    const server = await spawnServer(port, { DESK_DB: db });
    children.push(server);
    expect(existsSync(`${db}.creating`)).toBe(false);
    expect(readFileSync(db).subarray(0, 15).toString()).toBe('SQLite format 3');
    for (const file of [db, `${db}-wal`]) expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
    server.kill('SIGKILL');
    await exited(server);
    // The file it made is its own: the next start opens it.
    const again = await spawnServer(port, { DESK_DB: db });
    children.push(again);
    again.kill('SIGTERM');
    expect(await exited(again)).toBe(0);
  }, 60_000);
});
