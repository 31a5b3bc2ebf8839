import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contextFactory, DEFAULT_LIMITS, type Context } from '../../context';
import { createCallerBudgets } from '../../limits/caller-budgets';
import { createLimitCounters } from '../../limits/counters';
import { AuditLog } from '../../persist/audit-log';
import { createLogger } from '../../observability/logger';
import { appRouter } from '../../root';
import { Simulator } from '../../sim/simulator';
import { localExecutor } from '../../store/commands';
import { createDesk, type Desk } from '../../store/desk';
import { defaultTradeLimits } from '../../store/trade-limits';
import type { Settings } from './commands';
import type { Delivered } from './client';

/** Where a desk under test is driven from: mutations and subscriptions as a client sends them. */
export interface DeskTarget {
  readonly desk: Desk;
  mutate(path: string, input: unknown): Promise<unknown>;
  /** Subscribes; every message goes to `onData`. Returns a function that ends the subscription. */
  subscribe(path: string, input: Record<string, unknown>, onData: (message: Delivered) => void, onError: (error: unknown) => void): () => void;
  /** Lets delivery run until nothing more arrives. */
  settle(): Promise<void>;
  /** Stops the desk: cleanly (pending values written, then closed) or as a crash (`kill -9`). */
  stop(crash: boolean): Promise<void>;
  /** Starts a new desk on the same database. */
  start(): Promise<void>;
  /** Fills the disk the database is on, or frees it (see `fillDisk`). */
  fillDisk(disk: DiskState): void;
  /** True when the client resumes its subscriptions by itself after a restart (tRPC's wsLink). */
  readonly resumesItself: boolean;
  /** Ends the clients (after the last stop). */
  close(): void;
}

/** The desk's options for the model's settings, with a journal at `path`. */
export function deskOptions(settings: Settings, path: string) {
  return {
    hub: { replayCapacity: settings.replayCapacity },
    activity: { finishedLimit: settings.finishedLimit },
    market: { alertsLimit: settings.alertsLimit },
    journal: { path, startId: 1_000_000, retainEvents: settings.retainEvents, retainMs: 0 },
  };
}

/** How full the disk is: not, capped at the database's current size, or refusing every write. */
export type DiskState = 'ok' | 'capped' | 'full';

const WRITTEN_TABLES = ['events', 'rows', 'meta', 'idempotency'];

/**
 * A full disk, two ways. `capped`: the database may not grow past its current size and the free
 * space in its pages is filled, so the next write that needs a new page fails with SQLITE_FULL
 * (some still fit, as on a real full file system). `full`: every write to the journal's tables
 * fails with SQLite's "database or disk is full" (temporary triggers, gone with the connection).
 */
export function fillDisk(desk: Desk, disk: DiskState): void {
  const db = desk.journal!.db;
  db.exec('CREATE TABLE IF NOT EXISTS disk_filler (pad BLOB)');
  for (const table of WRITTEN_TABLES) for (const op of ['insert', 'update', 'delete']) db.exec(`DROP TRIGGER IF EXISTS temp.full_${op}_${table}`);
  db.exec('DELETE FROM disk_filler');
  db.pragma('max_page_count = 1073741823');
  if (disk === 'full') {
    for (const table of WRITTEN_TABLES) {
      for (const op of ['insert', 'update', 'delete']) {
        db.exec(`CREATE TEMP TRIGGER full_${op}_${table} BEFORE ${op.toUpperCase()} ON main.${table} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
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

const immediate = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A desk in this process, with a SQLite journal in `dir`, driven through the app router's own
 * procedures (`createCaller`: input validation, idempotency, the real subscription generators).
 */
export function localDesk(settings: Settings, dir: string): DeskTarget {
  const path = join(dir, 'desk.db');
  let desk!: Desk;
  let createContext!: ReturnType<typeof contextFactory>;
  let delivered = 0;
  const live = new Set<AbortController>();
  // What a context is made from over HTTP: no token (the desk has no authentication), one address.
  const req = { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
  const res = { writableLength: 0 } as unknown as ServerResponse;

  function context(): Context {
    return createContext({ req, res, info: { connectionParams: null } });
  }

  function procedure(path: string, signal?: AbortSignal): (input: unknown) => Promise<unknown> {
    let node: any = appRouter.createCaller(context(), signal ? { signal } : undefined);
    for (const part of path.split('.')) node = node[part];
    return node;
  }

  const target: DeskTarget = {
    get desk() {
      return desk;
    },
    mutate: (path, input) => procedure(path)(input),
    subscribe(path, input, onData, onError) {
      const abort = new AbortController();
      live.add(abort);
      void (async () => {
        const iterable = (await procedure(path, abort.signal)(input)) as AsyncIterable<unknown>;
        for await (const envelope of iterable) {
          // A tracked envelope is [id, data, symbol]; tRPC's clients receive { id, data }.
          const [id, data] = envelope as [string, Delivered['data']];
          delivered++;
          onData({ id, data });
        }
      })().catch((error) => {
        if (!abort.signal.aborted) onError(error);
      });
      return () => {
        live.delete(abort);
        abort.abort();
      };
    },
    async settle() {
      let quiet = 0;
      for (let round = 0; round < 50 && quiet < 2; round++) {
        const before = delivered;
        await immediate();
        quiet = delivered === before ? quiet + 1 : 0;
      }
    },
    async stop(crash) {
      for (const abort of live) abort.abort();
      live.clear();
      await target.settle();
      const journal = desk.journal!;
      try {
        if (!crash) journal.close();
      } finally {
        if (journal.db.open) journal.db.close();
      }
    },
    async start() {
      desk = createDesk(deskOptions(settings, path));
      const commands = localExecutor(desk);
      // As the app wires them (server/app.ts): the audit log shares the journal's transactions.
      const audit = new AuditLog(desk.journal!.db, { instance: null });
      // The test's client is the only caller: no rate limit may refuse it.
      const limits = { ...DEFAULT_LIMITS, maxSubscriptions: 10_000, mutationsPerSecond: 1e9, mutationBurst: 1e9, callerRequestsPerSecond: 1e9, callerRequestBurst: 1e9 };
      desk.journal!.withMutation = (_path, answer) => audit.inTransaction(answer);
      createContext = contextFactory({
        desk,
        sim: new Simulator(desk, { executor: commands }),
        commands,
        highWaterMark: 1 << 30,
        connections: () => 0,
        auth: null,
        isRevoked: () => false,
        trackSession: () => {},
        audit,
        tradeLimits: defaultTradeLimits,
        limits,
        rejected: createLimitCounters(),
        log: createLogger('silent'),
        onMutation: () => {},
        connectionOf: () => undefined,
        clientAddress: () => '127.0.0.1',
        callerBudgets: createCallerBudgets(limits.callerRequestsPerSecond, limits.callerRequestBurst),
      });
    },
    fillDisk: (disk) => fillDisk(desk, disk),
    resumesItself: false,
    close() {},
  };
  return target;
}
