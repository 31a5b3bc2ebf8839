import { chmodSync, closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate } from './migrations';
import { makeParentDirectory } from './make-directories';

/** The desk's database could not be opened: one line saying which file, what is wrong and what to do. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

/** The suffix a new database is created under before it is renamed into place. */
export const CREATING_SUFFIX = '.creating';

/**
 * Opens the desk's database at `path`, migrated to the newest schema, or `:memory:`.
 *
 * A database the desk creates is built under `<path>.creating` (mode 0600) and renamed into place
 * once its schema is written, so a file at `path` is always one the desk finished creating. An
 * existing file is never silently started over: an empty one (it cannot be the desk's), one that
 * is not a SQLite database, or one shorter than its own header says is refused with a
 * `DatabaseOpenError`, as is every other failure to open it.
 */
export function openDatabase(path: string): Database.Database {
  if (path === ':memory:') {
    const db = new Database(path);
    migrate(db);
    return db;
  }
  try {
    if (!existsSync(path)) create(path);
    checkFile(path);
    restrictMode(path);
    const db = new Database(path, { fileMustExist: true });
    try {
      db.pragma('journal_mode = WAL');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  } catch (error) {
    throw describeOpenFailure(path, error);
  }
}

/** `error`, met while opening or loading the database at `path`, as one actionable line. */
export function describeOpenFailure(path: string, error: unknown): DatabaseOpenError {
  if (error instanceof DatabaseOpenError) return error;
  const code = (error as { code?: string }).code ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  const fail = (message: string) => new DatabaseOpenError(path, message, { cause: error });
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return fail(`${path} is not a livedesk database or is damaged (${reason}); restore it from a backup, or move it away to start a new, empty desk`);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return fail(`no space left to write ${path} (${reason}); free some disk space and start again`);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return fail(`${path} is locked by another process (${reason}); is another livedesk running on this file?`);
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_PERM' || /^E(ACCES|PERM|ROFS|NOTDIR|ISDIR|NOENT)$/.test(code)) {
    return fail(`cannot open ${path} for writing (${reason}); make its directory writable by this user, or set DESK_DB or DESK_DATA_DIR to a writable place`);
  }
  if (/newer than this server knows/.test(reason)) return fail(`${path}: ${reason}; run a newer livedesk, or set DESK_DB to another file`);
  return fail(`cannot open ${path} (${reason})`);
}

/** Runs a step of opening the database at `path` (loading it, too): any failure as a `DatabaseOpenError`. */
export function whileOpening<R>(path: string, run: () => R): R {
  try {
    return run();
  } catch (error) {
    throw describeOpenFailure(path, error);
  }
}

/** Builds a new database under a temporary name and renames it into place once it is complete. */
function create(path: string): void {
  makeParentDirectory(path);
  const creating = `${path}${CREATING_SUFFIX}`;
  // Left over from a creation that was interrupted: it never became the desk's database.
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${creating}${suffix}`, { force: true });
  // Created here first, so SQLite keeps this mode (and gives its WAL the same one).
  closeSync(openSync(creating, 'wx', 0o600));
  const db = new Database(creating, { fileMustExist: true });
  try {
    db.pragma('journal_mode = WAL');
    migrate(db);
  } finally {
    db.close();
  }
  renameSync(creating, path);
}

/** Refuses a file the desk cannot have written: empty, not SQLite, or cut short. */
function checkFile(path: string): void {
  const { size } = statSync(path);
  if (size === 0) {
    throw new DatabaseOpenError(
      path,
      `${path} is empty (0 bytes): not a database this desk created (it creates its file complete, under a temporary name); remove it to start a new, empty desk, or restore it from a backup`,
    );
  }
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') {
    throw new DatabaseOpenError(path, `${path} is not a SQLite database; move it away to start a new, empty desk, or set DESK_DB to the right file`);
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The header's page count is trustworthy when its "valid for" counter matches the change counter.
  const countValid = header.readUInt32BE(92) === header.readUInt32BE(24);
  // A checkpoint killed midway has written page 1 (with the new size) before the pages after the
  // old end: the WAL still holds them all and SQLite completes the file from it.
  if (countValid && size < pages * pageSize && !hasWalFrames(path)) {
    throw new DatabaseOpenError(
      path,
      `${path} is truncated (${size} bytes, its header says ${pages * pageSize}); restore it from a backup, or move it away to start a new, empty desk`,
    );
  }
}

/** Whether a WAL beside the database holds frames (more than its 32-byte header). */
function hasWalFrames(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 32;
  } catch {
    return false;
  }
}

/** The database and its WAL hold every event and key: readable by this user only. */
function restrictMode(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      // Missing (no WAL yet) or not ours to change: opening it says what matters.
    }
  }
}
