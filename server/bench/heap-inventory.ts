/**
 * What an idle subscribed connection holds on the server's heap, by kind of object: a heap
 * snapshot of the server before and after `n` connections subscribe, the difference in count and
 * bytes per connection for each constructor (or closure, string, array …), biggest first. Before
 * the first snapshot, `warm` connections connect, subscribe and close (`Fleet.warm`), so what V8
 * compiles for the connection path (paid once per process) is not counted per connection; `warm`
 * 0 counts it, as the inventory did before.
 *
 *   npx tsx server/bench/heap-inventory.ts [livedesk|ws|socketio] [n = 2000] [rows = 30] [warm = 200]
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fleet, sleep, WARM_CONNECTIONS } from './fleet';
import type { Target } from './protocol';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and self bytes per kind of object in one heap snapshot file. */
export function inventory(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [TYPE, NAME, SIZE] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const kinds = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + TYPE]!]!;
    const name = snap.strings[snap.nodes[i + NAME]!]!;
    // Objects by constructor, closures by function name; strings, arrays and code by their type.
    const kind =
      type === 'object' ? name : type === 'closure' ? `closure ${name || '(anonymous)'}` : type === 'hidden' || type === 'array' || type === 'object shape' ? `${type} ${name}` : type;
    const entry = kinds.get(kind) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + SIZE]!;
    kinds.set(kind, entry);
  }
  return kinds;
}

const target = (process.argv[2] ?? 'livedesk') as Target;
const n = Number(process.argv[3] ?? 2000);
const rows = Number(process.argv[4] ?? 30);
const warm = Number(process.argv[5] ?? WARM_CONNECTIONS);
const dir = join(tmpdir(), `heap-inventory-${process.pid}`);
const fleet = await Fleet.start(target, Math.ceil(n / 5000));
try {
  if (warm > 0) await fleet.warm(warm);
  await fleet.server.request('memory');
  const before = await fleet.server.request<string>('heapSnapshot', { file: join(dir, 'before.heapsnapshot') }, 120_000);
  const conn = await fleet.connect(n, 120_000);
  await sleep(500);
  await fleet.server.request('memory');
  const after = await fleet.server.request<string>('heapSnapshot', { file: join(dir, 'after.heapsnapshot') }, 120_000);
  const a = inventory(before);
  const b = inventory(after);
  const diff = [...b].map(([kind, v]) => ({ kind, count: (v.count - (a.get(kind)?.count ?? 0)) / conn.connected, bytes: (v.bytes - (a.get(kind)?.bytes ?? 0)) / conn.connected }));
  diff.sort((x, y) => y.bytes - x.bytes);
  const total = diff.reduce((s, d) => s + d.bytes, 0);
  console.log(`${target}, ${conn.connected} subscribed connections after a warm-up of ${warm}: ${total.toFixed(0)} bytes of heap objects per connection (self sizes)`);
  console.log(`${'bytes'.padStart(8)} ${'count'.padStart(7)}  kind`);
  for (const d of diff.slice(0, rows)) console.log(`${d.bytes.toFixed(0).padStart(8)} ${d.count.toFixed(2).padStart(7)}  ${d.kind}`);
} finally {
  await fleet.stop();
  if (process.env.HEAP_INVENTORY_KEEP) console.log(`snapshots kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
