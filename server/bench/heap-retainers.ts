/**
 * Who holds the objects of one kind that a heap snapshot has and an earlier one had not: for the
 * new nodes of `kind` (as `heap-inventory.ts` names kinds), their retainer chains up to `depth`
 * edges, grouped and counted, most common first. With `HEAP_INVENTORY_KEEP=1` the inventory keeps
 * its two snapshots for this.
 *
 *   npx tsx server/bench/heap-retainers.ts <before.heapsnapshot> <after.heapsnapshot> "<kind>" [depth = 4] [rows = 10]
 */
import { readFileSync } from 'node:fs';

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** A snapshot with the lookups a retainer walk needs. */
class Snapshot {
  readonly width: number;
  readonly count: number;
  private readonly raw: RawSnapshot;
  private readonly f: Record<'type' | 'name' | 'id' | 'self_size' | 'edge_count', number>;
  private readonly ef: Record<'type' | 'name_or_index' | 'to_node', number>;
  private readonly ewidth: number;
  /** For each node, the edges pointing at it: [from node index, edge index] pairs. */
  readonly retainers: Array<Array<[number, number]>>;

  constructor(file: string) {
    this.raw = JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot;
    const meta = this.raw.snapshot.meta;
    const at = (fields: string[], name: string) => fields.indexOf(name);
    this.f = { type: at(meta.node_fields, 'type'), name: at(meta.node_fields, 'name'), id: at(meta.node_fields, 'id'), self_size: at(meta.node_fields, 'self_size'), edge_count: at(meta.node_fields, 'edge_count') };
    this.ef = { type: at(meta.edge_fields, 'type'), name_or_index: at(meta.edge_fields, 'name_or_index'), to_node: at(meta.edge_fields, 'to_node') };
    this.width = meta.node_fields.length;
    this.ewidth = meta.edge_fields.length;
    this.count = this.raw.nodes.length / this.width;
    this.retainers = Array.from({ length: this.count }, () => []);
    let edge = 0;
    for (let node = 0; node < this.count; node++) {
      const edges = this.raw.nodes[node * this.width + this.f.edge_count]!;
      for (let e = 0; e < edges; e++, edge += this.ewidth) {
        const to = this.raw.edges[edge + this.ef.to_node]! / this.width;
        this.retainers[to]!.push([node, edge]);
      }
    }
  }

  id(node: number): number {
    return this.raw.nodes[node * this.width + this.f.id]!;
  }

  /** The node's kind, named as `heap-inventory.ts` names it. */
  kind(node: number): string {
    const type = this.raw.snapshot.meta.node_types[0][this.raw.nodes[node * this.width + this.f.type]!]!;
    const name = this.raw.strings[this.raw.nodes[node * this.width + this.f.name]!]!;
    if (type === 'object') return name;
    if (type === 'closure') return `closure ${name || '(anonymous)'}`;
    if (type === 'hidden' || type === 'array' || type === 'object shape') return `${type} ${name}`;
    return type;
  }

  edgeLabel(edge: number): string {
    const type = this.raw.snapshot.meta.edge_types[0][this.raw.edges[edge + this.ef.type]!]!;
    const nameOrIndex = this.raw.edges[edge + this.ef.name_or_index]!;
    if (type === 'element' || type === 'hidden') return `[${nameOrIndex}]`;
    return `.${this.raw.strings[nameOrIndex]}`;
  }

  edgeType(edge: number): string {
    return this.raw.snapshot.meta.edge_types[0][this.raw.edges[edge + this.ef.type]!]!;
  }
}

const [beforeFile, afterFile, kind, depthArg, rowsArg] = process.argv.slice(2);
if (!beforeFile || !afterFile || !kind) {
  console.error('usage: heap-retainers.ts <before.heapsnapshot> <after.heapsnapshot> "<kind>" [depth] [rows]');
  process.exit(2);
}
const depth = Number(depthArg ?? 4);
const rows = Number(rowsArg ?? 10);
const before = new Snapshot(beforeFile);
const seen = new Set<number>();
for (let node = 0; node < before.count; node++) seen.add(before.id(node));
const after = new Snapshot(afterFile);

/** One retainer chain of `node`: the first non-weak retainer at each step. */
function chain(node: number): string {
  const parts = [after.kind(node)];
  let at = node;
  for (let d = 0; d < depth; d++) {
    const strong = after.retainers[at]!.find(([, edge]) => after.edgeType(edge) !== 'weak');
    if (!strong) break;
    const [from, edge] = strong;
    parts.push(`${after.edgeLabel(edge)} ← ${after.kind(from)}`);
    at = from;
  }
  return parts.join(' ');
}

const chains = new Map<string, number>();
let found = 0;
for (let node = 0; node < after.count; node++) {
  if (after.kind(node) !== kind || seen.has(after.id(node))) continue;
  found++;
  const c = chain(node);
  chains.set(c, (chains.get(c) ?? 0) + 1);
}
console.log(`${found} new nodes of kind "${kind}"`);
for (const [c, n] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${String(n).padStart(7)}  ${c}`);
