/**
 * Model-based, randomized test of the hub and the journal.
 *
 * fast-check generates sequences of commands across every topic class — mutations as a client
 * sends them (through the app router, with idempotency keys), subscriptions that start fresh or
 * resume from any id the desk issued (before restarts and pruning too), clean restarts and crashes
 * on the same SQLite database, retention with small limits, and a full disk — and after every step
 * checks the desk against a plain reference model (`server/test/model/`):
 * - after a client received event id X its view equals the desk's state as of X (latest, keyed);
 *   a log subscription received exactly the committed events after where it started, or a
 *   snapshot marked resync;
 * - one event id, one content: no topic changes under an id already issued, ids only increase,
 *   across restarts;
 * - every acknowledged mutation is in the state and the log after any restart; a failed one is
 *   nowhere (no id used, no state changed, nothing delivered);
 * - every bar `market.candles` serves is a recomputation from the ticks applied, restarts included;
 * - the desk as of an id the model saw (`replay.asOf`) is the model's as of that id, or refused
 *   with NOT_FOUND exactly when the id is before the oldest moment it can rebuild.
 *
 * On failure fast-check prints the seed, the path and the shrunk command sequence (settings, then
 * commands). Replay exactly, for the property that failed:
 *   FC_SEED=<seed> FC_PATH=<path> npx vitest run server/test/invariants.test.ts -t '<property name>'
 * Longer runs: FC_RUNS=1000 npx vitest run server/test/invariants.test.ts (ten times the default
 * number of runs of every property; 100 is the default). FC_STATS=1 prints what the runs got
 * into (commits, resumes, resyncs, restarts, failed writes) and where the time went.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from '@fast-check/vitest';
import { afterAll, describe } from 'vitest';
import { commandsArb, settingsArb, type Cmd, type Features, type Settings } from './model/commands';
import { localDesk } from './model/local-desk';
import { coverage, ModelRun } from './model/run';

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const path = process.env.FC_PATH;
/** FC_RUNS scales every property's number of runs: 100 is the default, 1000 ten times as many. */
const scale = Number(process.env.FC_RUNS ?? 100) / 100;
/** A property's time limit grows with its number of runs. */
const timeoutMs = 120_000 * Math.max(1, scale * 2);

/** fast-check's parameters: a random seed unless FC_SEED (and FC_PATH) replay a failure. */
const fcParams = (numRuns: number) => ({
  numRuns,
  ...(seed === undefined ? {} : { seed }),
  ...(path === undefined ? {} : { path }),
});

async function check(settings: Settings, cmds: Cmd[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'invariants-'));
  try {
    await new ModelRun(localDesk(settings, dir), settings).run(cmds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const plain: Features = { fullDisk: false, bulkRows: false, trimming: false };

/** One property of the desk, over runs that may get into the given situations. */
function property(name: string, features: Partial<Features>, numRuns: number) {
  const all = { ...plain, ...features };
  it.prop([settingsArb(all), commandsArb(30, all)], fcParams(Math.max(1, Math.round(numRuns * scale))))(name, check, timeoutMs);
}

describe('the desk against its reference model', () => {
  afterAll(() => {
    if (process.env.FC_STATS) console.log(`coverage over every run: ${JSON.stringify(coverage)}`);
  });

  property('keeps views, ids and acknowledged mutations consistent through restarts, crashes and pruning', {}, 100);
  property('trims the oldest finished tasks and runs, also after a restart', { trimming: true }, 30);
  property('answers a resume exactly or with a resync while retention prunes in several batches', { bulkRows: true }, 20);
  property('leaves no trace of a mutation that failed on a full disk', { fullDisk: true }, 30);
});
