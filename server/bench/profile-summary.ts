/**
 * Prints where a `.cpuprofile` spent its time: self time per function, per package, and per stage
 * of the desk (each sample charged to the innermost frame that names one: SQLite, JSON, zod, tRPC,
 * the audit log, the journal, the hub, the store, the socket).
 *   npx tsx server/bench/profile-summary.ts artifacts/profiles/livedesk-N1000.cpuprofile [top] [--after s]
 * `--after s` skips the first s seconds (start-up, module loading).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const argv = process.argv.slice(2);
const afterAt = argv.indexOf('--after');
const afterUs = afterAt === -1 ? 0 : Number(argv[afterAt + 1]) * 1e6;
if (afterAt !== -1) argv.splice(afterAt, 2);
const [file, topArg] = argv;
if (!file) {
  console.error('usage: profile-summary <file.cpuprofile> [top]');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
let clock = 0;
profile.samples.forEach((id, i) => {
  clock += profile.timeDeltas[i] ?? 0;
  if (clock >= afterUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** The stage a frame names, or null (look further up the stack). */
function stageOf({ functionName, url }: ProfileNode['callFrame']): string | null {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (!url) {
    if (['stringify', 'parse'].includes(functionName)) return 'JSON';
    if (['run', 'get', 'all', 'exec', 'iterate'].includes(functionName)) return 'SQLite (statements, commit)';
    if (/^write(v|Buffer|Utf8String|Latin1String)?$/.test(functionName)) return 'socket writes';
    return null;
  }
  if (url.includes('better-sqlite3')) return 'SQLite (statements, commit)';
  if (url.includes('node_modules/zod')) return 'zod';
  if (url.includes('node_modules/ws/')) return 'ws (frames)';
  if (url.includes('/persist/audit-log')) return 'audit log';
  if (url.includes('/persist/')) return 'journal';
  if (url.includes('/server/hub/')) return 'hub (topics, staging)';
  if (url.includes('/server/store/')) return 'store (market, activity, group commit)';
  if (url.includes('/server/transport/')) return 'desk transport';
  if (url.includes('@trpc/server') || url.includes('/server/trpc.ts') || url.includes('/server/routers/')) return 'tRPC (procedure call, middlewares)';
  return null;
}
const stages = new Map<string, number>();
for (const [id, us] of selfUs) {
  let node: number | undefined = id;
  let stage: string | null = null;
  while (node !== undefined && stage === null) {
    const frame = byId.get(node)!.callFrame;
    if (frame.functionName === '(idle)') break;
    stage = stageOf(frame);
    node = parentOf.get(node);
  }
  if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
  stage ??= 'other (node internals, event loop)';
  stages.set(stage, (stages.get(stage) ?? 0) + us);
}

const where = (url: string) => {
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/server/')) return 'livedesk';
  return url ? 'other' : '(native)';
};

const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
let total = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  total += us;
  if (functionName === '(idle)') {
    idle += us;
    continue;
  }
  const short = url.replace(/^.*node_modules\//, '').replace(/^.*\/work\/main\//, '').replace(/^file:\/\//, '');
  const key = `${functionName || '(anonymous)'}  ${short}${url ? `:${lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const pkg = ['(garbage collector)', '(program)'].includes(functionName) ? functionName : where(url);
  pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
}
const busy = total - idle;
const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
console.log(`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled\n\nby package:`);
for (const [k, us] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${pct(us)}  ${k}`);
console.log('\nby stage (innermost frame that names one):');
for (const [k, us] of [...stages].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us)}  ${k}`);
console.log('\nby function (self time):');
for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) console.log(`  ${pct(us)}  ${k}`);
