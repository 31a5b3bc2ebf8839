import { randomBytes } from 'node:crypto';
import { applyCommand } from '../store/commands';
import type { ClusterInstance } from '../../shared/schema/system';
import type { Desk, DeskOptions } from '../store/desk';
import { CommandLog, type LogHead, type LoggedCommand } from './command-log';
import { createClusterExecutor, type Outcome } from './executor';
import { createInDoubt } from './in-doubt';
import { createLease } from './lease';
import { captureSnapshot, parseSnapshot, restoreKeys, restoreTopics, type DeskSnapshot } from './snapshot';

export interface ClusterOptions {
  url: string;
  prefix?: string;
  /** How long a mutation waits for its command to come back from the log. @default 5000 */
  timeoutMs?: number;
  /** How long any Redis command may take before it counts as failed. @default 2000 */
  commandTimeoutMs?: number;
  /** How often the log's head and Redis's round trip are measured. @default 1000 */
  heartbeatMs?: number;
  /** Not ready while the fold is further than this behind the log's head. @default 2000 */
  readyLagMs?: number;
  /** A snapshot of the folded state is stored every this many commands (0: never). @default 10000 */
  snapshotEvery?: number;
  /** Snapshots kept in Redis; the stream is trimmed to the oldest of them. @default 2 */
  snapshotKeep?: number;
  /** How long the simulator's lease lasts unrenewed: how soon another instance takes over. @default 5000 */
  simLeaseMs?: number;
}

/** This instance's view of the shared log, for health, readiness and metrics. */
export interface ClusterStatus {
  instance: string;
  /** Redis answers: connected, reads and the heartbeat succeed within their timeouts. */
  up: boolean;
  /** Up, done with the start-up fold and not further than `readyLagMs` behind the head. */
  ready: boolean;
  /** Commands in the log not folded here yet (as of the last heartbeat). */
  lagCommands: number;
  /** How far the folded entry's time is behind the newest entry's (Redis clock, ms). */
  lagMs: number;
  /** Entries in the Redis stream. */
  logLength: number;
  /** Mutations answered "unknown" whose fate this instance has not learnt yet. */
  inDoubt: number;
  /** Commands the fold refused (their error went to their caller), any instance's. */
  refused: number;
  /** Fire-and-forget commands (the simulator's) that never reached the log. */
  dropped: number;
  /** Round trip of the last heartbeat, ms (null before the first). */
  rttMs: number | null;
  /** Number of the last command folded here (null: none numbered yet). */
  seq: number | null;
  /** Snapshots this instance stored, and the number of the newest. */
  snapshots: { stored: number; lastSeq: number | null; failed: number; trimmed: number; restoredFrom: number | null; busy: boolean };
  /** Why this instance cannot go on folding (it missed trimmed commands); null when it can. */
  broken: string | null;
  /** This instance holds the simulator's lease: its simulator is the one that ticks. */
  simulating: boolean;
}

/**
 * Several desk instances sharing one ordered command log on Redis. A mutation appends its command
 * and answers once this instance has folded it; every instance folds every command in log order,
 * so all reach the same state under the same event ids, and a client's `lastEventId` means the same
 * thing everywhere.
 */
export async function connectCluster(options: ClusterOptions) {
  const log = new CommandLog({ url: options.url, prefix: options.prefix, commandTimeoutMs: options.commandTimeoutMs });
  await log.connect();
  const instance = randomBytes(6).toString('hex');
  const timeoutMs = options.timeoutMs ?? 5_000;
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const readyLagMs = options.readyLagMs ?? 2_000;
  // Nobody awaits these settle functions' promises ahead of time, so they resolve, never reject.
  const waiting = new Map<string, (outcome: Outcome) => void>();
  const inDoubt = createInDoubt(log, waiting, (log.markerTtlSec - 60) * 1000);
  const snapshotEvery = options.snapshotEvery ?? 10_000;
  const snapshotKeep = Math.max(1, options.snapshotKeep ?? 2);
  let applied = '0-0';
  let folded = 0;
  // From the start of the log the first numbered command is 1; from a snapshot, the one after it.
  let lastSeq: number | null = 0;
  let broken: string | null = null;
  let restored: DeskSnapshot | null = null;
  let snapshotting = false;
  const snapshots = { stored: 0, lastSeq: null as number | null, failed: 0, trimmed: 0, restoredFrom: null as number | null };
  let desk: Desk | null = null;
  let running = false;
  let started = false;
  let loop: Promise<void> | null = null;
  let readFailures = 0;
  const heartbeat: { timer: NodeJS.Timeout | null; ok: boolean; at: number; rttMs: number | null; head: LogHead | null } = {
    timer: null,
    ok: true,
    at: 0,
    rttMs: null,
    head: null,
  };
  const counters = { refused: 0, dropped: 0 };
  const simLease = createLease(log, 'simulator', instance, { ttlMs: options.simLeaseMs });
  let describe: (() => { connections: number; subscriptions: number; lastEventId: string }) | null = null;
  let peers: ClusterInstance[] | null = null;
  const progress: Array<{ id: number; resolve: () => void }> = [];
  const onBeat: Array<() => Promise<void>> = [];

  function fold(entries: LoggedCommand[]): void {
    for (const { entryId, command, nonce, seq } of entries) {
      if (seq !== null) {
        if (lastSeq !== null && seq !== lastSeq + 1) {
          // Folding on would silently skip commands: state and ids would diverge from the cluster.
          broken = `command ${lastSeq + 1} to ${seq - 1} were trimmed from the log before this instance read them; restart it to start from a snapshot`;
          running = false;
          return;
        }
        lastSeq = seq;
      }
      let outcome: Outcome;
      try {
        outcome = { ok: true, value: applyCommand(desk!, command) };
      } catch (error) {
        outcome = { ok: false, error };
        counters.refused++;
      }
      applied = entryId;
      folded++;
      const settle = waiting.get(nonce);
      if (settle) {
        waiting.delete(nonce);
        settle(outcome);
      }
      if (snapshotEvery > 0 && seq !== null && seq % snapshotEvery === 0) void snapshot();
    }
    const lastId = desk!.hub.lastId;
    for (let i = progress.length - 1; i >= 0; i--) {
      if (progress[i]!.id <= lastId) progress.splice(i, 1)[0]!.resolve();
    }
  }

  /** Stores a snapshot at the current position, unless another instance is storing one. Never throws. */
  async function snapshot(): Promise<void> {
    if (snapshotting || !desk) return;
    snapshotting = true;
    try {
      if (!(await log.claimSnapshot(instance, 60))) return;
      // Between two folds: the state is exactly that of the last command folded.
      if (lastSeq === null || lastSeq === 0 || broken) return;
      const at = { entryId: applied, seq: lastSeq };
      const data = captureSnapshot(desk, at);
      snapshots.trimmed += await log.saveSnapshot(at.seq, at.entryId, data, snapshotKeep);
      snapshots.stored++;
      snapshots.lastSeq = at.seq;
    } catch {
      snapshots.failed++;
    } finally {
      await log.releaseSnapshot(instance).catch(() => undefined);
      snapshotting = false;
    }
  }

  async function tail(): Promise<void> {
    while (running) {
      try {
        fold(await log.read(applied, 500, true));
        readFailures = 0;
      } catch {
        readFailures++;
        await sleep(Math.min(100 * readFailures, 1000));
      }
    }
  }

  async function beat(): Promise<void> {
    const t0 = performance.now();
    try {
      heartbeat.head = await log.head();
      heartbeat.rttMs = Math.round((performance.now() - t0) * 100) / 100;
      heartbeat.ok = true;
      heartbeat.at = Date.now();
      await inDoubt.settleAll();
      if (describe) await publishPresence(describe());
      for (const task of onBeat) await task();
    } catch {
      heartbeat.ok = false;
    }
    if (running) heartbeat.timer = setTimeout(beat, heartbeatMs).unref();
  }

  async function publishPresence(local: { connections: number; subscriptions: number; lastEventId: string }): Promise<void> {
    const status = statusNow();
    const reading = { ...local, instance, lagCommands: status.lagCommands, up: status.up, ready: status.ready, simulating: status.simulating };
    const all = await log.presence(instance, reading, 3 * heartbeatMs + (options.commandTimeoutMs ?? 2000));
    peers = all
      .map(({ reading, ageMs }) => ({ ...(reading as Omit<ClusterInstance, 'ageMs'>), ageMs }))
      .sort((a, b) => a.instance.localeCompare(b.instance));
  }

  function statusNow(): ClusterStatus {
    const isUp = up();
    const behind = lag();
    return {
      instance,
      up: isUp,
      ready: started && isUp && behind.ms <= readyLagMs,
      lagCommands: behind.commands,
      lagMs: behind.ms,
      logLength: heartbeat.head?.length ?? 0,
      inDoubt: inDoubt.size,
      refused: counters.refused,
      dropped: counters.dropped,
      rttMs: heartbeat.rttMs,
      seq: lastSeq,
      snapshots: { ...snapshots, busy: snapshotting },
      broken,
      simulating: simLease.held,
    };
  }

  function lag(): { commands: number; ms: number } {
    const head = heartbeat.head;
    if (!head || head.lastId === applied) return { commands: 0, ms: 0 };
    const commands = lastSeq !== null && head.seq > 0 ? head.seq - lastSeq : head.entriesAdded - folded;
    return { commands: Math.max(0, commands), ms: Math.max(0, entryMs(head.lastId) - entryMs(applied)) };
  }

  function up(): boolean {
    // A heartbeat overdue by more than a command timeout means Redis stalls without failing.
    const overdue = started && Date.now() - heartbeat.at > heartbeatMs + (options.commandTimeoutMs ?? 2000) + 500;
    return log.up && readFailures === 0 && heartbeat.ok && !overdue && broken === null;
  }

  const executor = createClusterExecutor({
    log,
    instance,
    timeoutMs,
    waiting,
    inDoubt,
    refusal: () => broken,
    onDropped: () => {
      counters.dropped++;
      if (desk) desk.counters.rejectedCommands++;
    },
  });

  return {
    executor,
    instance,
    /**
     * Options for this instance's desk: an in-memory journal starting where the cluster starts, or
     * where the newest snapshot in Redis left off (then `start` folds only the commands after it).
     */
    async deskOptions(desk: DeskOptions = {}): Promise<DeskOptions> {
      const base = await log.base(Date.now() * 1000);
      const stored = snapshotEvery > 0 ? await log.newestSnapshot() : null;
      restored = stored ? parseSnapshot(stored.data) : null;
      const from = restored;
      return {
        ...desk,
        journal: { ...desk.journal, path: ':memory:', startId: from?.lastId ?? base },
        restore: from ? (hub) => restoreTopics(hub, from) : undefined,
      };
    },
    /** Folds the log (from the snapshot `deskOptions` chose, if any) into `target`, then keeps folding as commands arrive. */
    async start(target: Desk): Promise<void> {
      desk = target;
      if (restored) {
        restoreKeys(target, restored);
        applied = restored.entryId;
        lastSeq = restored.seq;
        snapshots.restoredFrom = restored.seq;
        restored = null;
      }
      for (;;) {
        const batch = await log.read(applied, 1000, false);
        if (batch.length === 0) break;
        fold(batch);
        if (broken) throw new Error(`cannot start: ${broken}`);
      }
      running = true;
      started = true;
      loop = tail();
      await beat();
    },
    /** Resolves once this instance has folded up to `eventId` (or after `timeoutMs`). */
    caughtUp(eventId: number, timeoutMs = 2000): Promise<void> {
      if (!desk || desk.hub.lastId >= eventId) return Promise.resolve();
      return new Promise((resolve) => {
        const entry = { id: eventId, resolve };
        progress.push(entry);
        setTimeout(() => {
          const index = progress.indexOf(entry);
          if (index >= 0) progress.splice(index, 1);
          resolve();
        }, timeoutMs).unref();
      });
    },
    get up() {
      return up();
    },
    status: statusNow,
    /** A setting every instance shares through Redis, versioned (last write wins). */
    setting: (name: string) => ({
      read: () => log.readSetting(name),
      write: (value: unknown) => log.writeSetting(name, value),
    }),
    /** Runs `task` after each successful heartbeat (its failure counts as the heartbeat's). */
    onBeat(task: () => Promise<void>): void {
      onBeat.push(task);
    },
    /** What this instance reports of itself to the others with each heartbeat. */
    reportWith(reading: () => { connections: number; subscriptions: number; lastEventId: string }): void {
      describe = reading;
    },
    /**
     * Values each instance keeps in Redis for the others (its connections, for presence), gone when
     * not written again within `staleMs`: an instance that died stops counting on its own.
     */
    expiring: {
      staleMs: 3 * heartbeatMs + (options.commandTimeoutMs ?? 2000),
      write: (name: string, value: unknown) => log.writeExpiring(name, value, 3 * heartbeatMs + (options.commandTimeoutMs ?? 2000)),
      read: (names: string[]) => log.readExpiring(names),
      remove: (name: string) => log.removeExpiring(name),
    },
    /** Every instance as it last reported itself through Redis, this one included (null before the first heartbeat). */
    peers: (): ClusterInstance[] | null => peers,
    /**
     * The simulator runs on one instance at a time: the holder of this lease. Start it with
     * `simLease.start(() => wanted)`; the simulator ticks while `simLease.held`.
     */
    simLease,
    /** Stores a snapshot now (an operator's or a test's request); resolves when done or refused. */
    snapshotNow: () => snapshot(),
    async stop(): Promise<void> {
      running = false;
      await simLease.stop(); // another instance takes over at once
      await log.leave(instance).catch(() => undefined);
      if (heartbeat.timer) clearTimeout(heartbeat.timer);
      log.close(); // ends a blocked read at once
      await loop;
    },
  };
}
export type Cluster = Awaited<ReturnType<typeof connectCluster>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The millisecond part of a stream entry id (`<ms>-<seq>`). */
function entryMs(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}
