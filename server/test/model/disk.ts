import type { Desk } from '../../store/desk';

/** How full the disk is: not, capped at the database's current size, or refusing every write. */
export type DiskState = 'ok' | 'capped' | 'full';

/**
 * A full disk, two ways. `capped`: the database may not grow past its current size and the free
 * space in its pages is filled, so the next write that needs a new page fails with SQLITE_FULL
 * (some still fit, as on a real full file system). `full`: every write to any table of the
 * database fails with SQLite's "database or disk is full" (temporary triggers, gone with the
 * connection).
 */
export function fillDisk(desk: Desk, disk: DiskState): void {
  const db = desk.journal!.db;
  db.exec('CREATE TABLE IF NOT EXISTS disk_filler (pad BLOB)');
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'disk_filler'")
    .all()
    .map((t) => t.name);
  for (const trigger of db.prepare<[], { name: string }>("SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'full_%'").all()) {
    db.exec(`DROP TRIGGER temp."${trigger.name}"`);
  }
  db.exec('DELETE FROM disk_filler');
  db.pragma('max_page_count = 1073741823');
  if (disk === 'full') {
    for (const table of tables) {
      for (const op of ['insert', 'update', 'delete']) {
        db.exec(`CREATE TEMP TRIGGER "full_${op}_${table}" BEFORE ${op.toUpperCase()} ON main."${table}" BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
      }
    }
  }
  if (disk !== 'capped') return;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  const insert = db.prepare('INSERT INTO disk_filler (pad) VALUES (zeroblob(?))');
  for (const size of [4000, 1000, 200, 50, 10, 1]) {
    try {
      for (let i = 0; i < 10_000; i++) insert.run(size);
    } catch {
      // full at this size; try smaller pieces
    }
  }
}

