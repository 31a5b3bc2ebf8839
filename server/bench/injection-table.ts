import type { FanoutResult } from './fanout';
import type { Injection, Target } from './protocol';

const fmt = (v: number | undefined, digits = 0) =>
  v !== undefined && Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
const x = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '–');

/**
 * The desk beside raw ws, coalescing raw ws and Socket.IO at one N, both injection patterns:
 * max delivered ticks/s (and ticks per frame), latency and server CPU per delivery at 10 ticks/s,
 * heap per idle subscribed connection, each as a ratio of the desk to the baseline, with the load
 * average of the machine before and after.
 */
export function printInjectionTable(results: FanoutResult[], n: number, loadavg: { before: number[]; after: number[] }): void {
  const of = (target: Target, injection: Injection) => results.find((r) => r.n === n && r.target === target && r.injection === injection);
  const targets: Target[] = ['livedesk', 'ws', 'ws-coalescing', 'socketio'];
  const la = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(`\nTicks one at a time and in bursts, N = ${fmt(n)} (load average ${la(loadavg.before)} before, ${la(loadavg.after)} after; ratios are of the same run)`);
  const row = (label: string, cells: string[]) => console.log(`  ${label.padEnd(44)}${cells.map((c) => c.padStart(16)).join('')}`);
  row('', [...targets, 'desk/ws', 'desk/ws-coal.', 'desk/Socket.IO']);
  for (const injection of ['one', 'burst'] as const) {
    const r = targets.map((t) => of(t, injection));
    const max = r.map((v) => v?.max.deliveriesPerSec);
    row(`max delivered ticks/s, ${injection === 'one' ? 'one per turn' : 'bursts'}`, [
      ...r.map((v) => (v ? `${fmt(v.max.deliveriesPerSec)}${v.max.capped ? '+' : ''} (${fmt(v.max.ticksPerFrame, 1)}/f)` : '–')),
      x(max[0], max[1]),
      x(max[0], max[2]),
      x(max[0], max[3]),
    ]);
  }
  for (const injection of ['one', 'burst'] as const) {
    const r = targets.map((t) => of(t, injection));
    row(`p50 / p99 at 10 ticks/s (ms), ${injection}`, [...r.map((v) => (v ? `${v.latency.p50} / ${v.latency.p99}` : '–')), x(r[0]?.latency.p99, r[1]?.latency.p99), x(r[0]?.latency.p99, r[2]?.latency.p99), x(r[0]?.latency.p99, r[3]?.latency.p99)]);
    const cpu = r.map((v) => v?.latency.serverCpuUsPerDelivery);
    row(`server CPU µs per delivery at 10/s, ${injection}`, [...cpu.map((c) => fmt(c, 1)), x(cpu[0], cpu[1]), x(cpu[0], cpu[2]), x(cpu[0], cpu[3])]);
  }
  const burst = targets.map((t) => of(t, 'burst') ?? of(t, 'one'));
  const heap = burst.map((v) => v?.warmHeapPerConnKB);
  row('heap KB per idle subscribed connection (warm)', [...heap.map((h) => fmt(h, 2)), x(heap[0], heap[1]), x(heap[0], heap[2]), x(heap[0], heap[3])]);
  console.log('  (+: the ramp reached its ceiling without a failed step; the server can do more)');
}
