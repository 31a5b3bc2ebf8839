/**
 * The desk's side of durable ingest alone, in one process: mutations through the group commit,
 * the journal and the audit log on a temp database file, as the app wires them, in groups of a
 * given size, with no tRPC call, socket or JSON frame around them. What the ingest bench's figure
 * is beyond this is the call path (tRPC, the transport, `ws`).
 *   npx tsx server/bench/ingest-desk.ts [trade|notification] [group size, 16] [mutations, 40000]
 * Prints CPU and wall time per mutation; the first of two passes warms up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../persist/audit-log';
import { localExecutor } from '../store/commands';
import { createDesk } from '../store/desk';

const kind = process.argv[2] === 'notification' ? 'notification' : 'trade';
const groupSize = Number(process.argv[3] ?? 16);
const total = Number(process.argv[4] ?? 40_000);
const synchronous = process.env.BENCH_DB_SYNC === 'full' ? 'full' : 'normal';

const dir = mkdtempSync(join(tmpdir(), 'livedesk-ingest-desk-'));
const desk = createDesk({ journal: { path: join(dir, 'desk.db'), synchronous } });
const commands = localExecutor(desk);
// As server/app.ts wires them: the audit entry goes in the mutation's transaction.
const audit = new AuditLog(desk.journal!.db);
desk.journal!.withMutation = (_path, answer, scope) => audit.inTransaction(scope, answer);
await commands.execute('market.setPrice', { symbol: 'ING', price: 100 });

const path = kind === 'trade' ? 'market.executeTrade' : 'feeds.pushNotification';
const one = (i: number) => {
  const input = kind === 'trade' ? { symbol: 'ING', side: i % 2 ? 'sell' : 'buy', qty: 1 + (i % 3) } : { title: `bench ${i}`, body: 'ingest', severity: 'info' };
  const record = { ts: Date.now(), who: 'bench', name: null, role: 'operator' as const, address: '127.0.0.1', path, input };
  return commands.execute(path, input as never, undefined, { record, written: false });
};

console.log(`${path}, groups of ${groupSize}, synchronous ${synchronous}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (let pass = 0; pass < 2; pass++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < total; i += groupSize) await Promise.all(Array.from({ length: groupSize }, (_, j) => one(i + j)));
  const used = process.cpuUsage(cpu);
  const wallUs = (performance.now() - started) * 1000;
  console.log(`  ${pass === 0 ? 'warm-up' : 'measured'}: ${((used.user + used.system) / total).toFixed(1)} µs CPU and ${(wallUs / total).toFixed(1)} µs wall per mutation`);
}
desk.journal!.close();
rmSync(dir, { recursive: true, force: true });
