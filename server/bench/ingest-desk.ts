/**
 * The desk's side of durable ingest alone, in one process: mutations through the app's executor
 * (group commit, journal, audit log in the mutation's transaction) on a temp database file, in
 * groups of a given size, with no socket, frame or tRPC call around them. By default the desk is
 * the app's, built by `startApp` with the options the ingest bench's server uses (simulator off,
 * candles and the portfolio's history kept, the app's metrics, presence and timers wired), and a
 * trade carries the trading limits in force as the router adds them; `--desk-only` builds the desk
 * and its audit log alone, as earlier figures did. What the ingest bench's figure is beyond this
 * is the call path (the transport, `ws`, the answer's write).
 *   npx tsx server/bench/ingest-desk.ts [trade|notification] [group size, 12] [mutations, 40000] [--desk-only]
 * (12: the mean group in the ingest bench's server with 8 connections × 4 in flight.)
 * Prints CPU and wall time per mutation; the first of two passes warms up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../app';
import { AuditLog } from '../persist/audit-log';
import { localExecutor, type CommandExecutor } from '../store/commands';
import { createDesk } from '../store/desk';
import { defaultTradeLimits } from '../store/trade-limits';

const argv = process.argv.slice(2);
const deskOnly = argv.includes('--desk-only');
const [kindArg, groupArg, totalArg] = argv.filter((a) => !a.startsWith('--'));
const kind = kindArg === 'notification' ? 'notification' : 'trade';
const groupSize = Number(groupArg ?? 12);
const total = Number(totalArg ?? 40_000);
const synchronous = process.env.BENCH_DB_SYNC === 'full' ? 'full' : 'normal';

const dir = mkdtempSync(join(tmpdir(), 'livedesk-ingest-desk-'));
const path = join(dir, 'desk.db');
let commands: CommandExecutor;
let close: () => Promise<void> | void;
if (deskOnly) {
  const desk = createDesk({ journal: { path, synchronous } });
  commands = localExecutor(desk);
  // As server/app.ts wires them: the audit entry goes in the mutation's transaction.
  const audit = new AuditLog(desk.journal!.db);
  desk.journal!.withMutation = (_path, answer, scope) => audit.inTransaction(scope, answer);
  close = () => desk.journal!.close();
} else {
  // As server/bench/bench-server.ts starts the ingest bench's server.
  const app = await startApp({
    port: 0,
    sim: { enabled: false },
    statsIntervalMs: 3_600_000,
    desk: { hub: { replayCapacity: 20_000 }, journal: { path, retainEvents: 1_000_000, synchronous } },
  });
  commands = app.commands;
  close = () => app.stop();
}
await commands.execute('market.setPrice', { symbol: 'ING', price: 100 });

const mutation = kind === 'trade' ? 'market.executeTrade' : 'feeds.pushNotification';
const one = (i: number) => {
  const input = kind === 'trade' ? { symbol: 'ING', side: i % 2 ? 'sell' : 'buy', qty: 1 + (i % 3) } : { title: `bench ${i}`, body: 'ingest', severity: 'info' };
  const record = { ts: Date.now(), who: 'bench', name: null, role: 'operator' as const, address: '127.0.0.1', path: mutation, input };
  // The router's `withTradeLimits` adds the limits in force to a trade's command.
  const command = kind === 'trade' && !deskOnly ? { ...input, limits: defaultTradeLimits } : input;
  return commands.execute(mutation, command as never, undefined, { record, written: false });
};

console.log(`${mutation}, groups of ${groupSize}, ${deskOnly ? 'the desk alone' : "the app's desk"}, synchronous ${synchronous}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (let pass = 0; pass < 2; pass++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < total; i += groupSize) await Promise.all(Array.from({ length: groupSize }, (_, j) => one(i + j)));
  const used = process.cpuUsage(cpu);
  const wallUs = (performance.now() - started) * 1000;
  console.log(`  ${pass === 0 ? 'warm-up' : 'measured'}: ${((used.user + used.system) / total).toFixed(1)} µs CPU and ${(wallUs / total).toFixed(1)} µs wall per mutation`);
}
await close();
rmSync(dir, { recursive: true, force: true });
