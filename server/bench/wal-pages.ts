/**
 * Which b-trees a group of mutations dirties: the desk's app (as the ingest bench's server starts
 * it) on a temp database, a warm-up, then groups of mutations with checkpoints off, and the WAL's
 * frames counted per table or index (`dbstat`) and per commit. Each frame is a page the commit
 * writes (two `pwrite`s), the larger part of a group's COMMIT.
 *   npx tsx server/bench/wal-pages.ts [trade|notification] [group size, 12] [groups, 50]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../app';
import { defaultTradeLimits } from '../store/trade-limits';

const [kindArg, groupArg, groupsArg] = process.argv.slice(2);
const kind = kindArg === 'notification' ? 'notification' : 'trade';
const groupSize = Number(groupArg ?? 12);
const groups = Number(groupsArg ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'livedesk-wal-pages-'));
const path = join(dir, 'desk.db');
const app = await startApp({
  port: 0,
  sim: { enabled: false },
  statsIntervalMs: 3_600_000,
  desk: { hub: { replayCapacity: 20_000 }, journal: { path, retainEvents: 1_000_000, synchronous: 'normal' } },
});
const db = app.desk.journal!.db;
await app.commands.execute('market.setPrice', { symbol: 'ING', price: 100 });
const mutation = kind === 'trade' ? 'market.executeTrade' : 'feeds.pushNotification';
const one = (i: number) => {
  const input = kind === 'trade' ? { symbol: 'ING', side: i % 2 ? 'sell' : 'buy', qty: 1 + (i % 3) } : { title: `bench ${i}`, body: 'ingest', severity: 'info' };
  const record = { ts: Date.now(), who: 'bench', name: null, role: 'operator' as const, address: '127.0.0.1', path: mutation, input };
  const command = kind === 'trade' ? { ...input, limits: defaultTradeLimits } : input;
  return app.commands.execute(mutation, command as never, undefined, { record, written: false });
};
const run = async (count: number) => {
  for (let i = 0; i < count; i += groupSize) await Promise.all(Array.from({ length: groupSize }, (_, j) => one(i + j)));
};
// Warm-up: b-trees a few levels deep, as in a desk that has run a while.
await run(20_000);
db.pragma('wal_checkpoint(TRUNCATE)');
db.pragma('wal_autocheckpoint = 0');
await run(groups * groupSize);
const wal = readFileSync(`${path}-wal`);
const pageSize = wal.readUInt32BE(8);
const owner = new Map<number, string>();
for (const row of db.prepare<[], { name: string; pageno: number; pagetype: string }>('SELECT name, pageno, pagetype FROM dbstat').all()) {
  owner.set(row.pageno, row.pageno === 1 ? 'database header (page 1)' : `${row.name} ${row.pagetype}`);
}
const byOwner = new Map<string, number>();
let frames = 0;
let commits = 0;
for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
  frames++;
  if (wal.readUInt32BE(at + 4) !== 0) commits++;
  const name = owner.get(wal.readUInt32BE(at)) ?? 'free list or other';
  byOwner.set(name, (byOwner.get(name) ?? 0) + 1);
}
console.log(`${mutation}, groups of ${groupSize}: ${(frames / commits).toFixed(1)} WAL frames per commit (${frames} frames, ${commits} commits)`);
for (const [name, n] of [...byOwner].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / commits).toFixed(2).padStart(6)}  ${name}`);
await app.stop();
rmSync(dir, { recursive: true, force: true });
