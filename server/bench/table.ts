import type { FanoutResult } from './fanout';
import type { Target } from './protocol';
import { ratio } from './stats';

export interface Report {
  machine: { cpus: number; node: string };
  fanout: FanoutResult[];
}

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');

/** Prints the side-by-side table: one row per N and metric, the three servers and the ratios. */
export function printTable(report: Report): void {
  const rows: string[][] = [['N', 'metric', 'livedesk', 'raw ws', 'Socket.IO', 'ld/ws', 'ld/sio']];
  const sizes = [...new Set(report.fanout.map((r) => r.n))];
  for (const n of sizes) {
    const of = (t: Target) => report.fanout.find((r) => r.n === n && r.target === t);
    const row = (metric: string, pick: (r: FanoutResult) => number, digits = 0) => {
      const [l, w, s] = (['livedesk', 'ws', 'socketio'] as const).map((t) => {
        const r = of(t);
        return r ? pick(r) : Number.NaN;
      });
      rows.push([fmt(n), metric, fmt(l!, digits), fmt(w!, digits), fmt(s!, digits), x(ratio(l, w)), x(ratio(l, s))]);
    };
    row('max deliveries/s (≥99.9% in time)', (r) => r.max.deliveriesPerSec);
    row('  server CPU µs per delivery', (r) => r.max.serverCpuUsPerDelivery, 1);
    row('  load-client CPU % at max', (r) => r.max.clientCpuPct);
    row('p50 ms at 10 ticks/s', (r) => r.latency.p50);
    row('p99 ms at 10 ticks/s', (r) => r.latency.p99);
    row('max ms at 10 ticks/s', (r) => r.latency.max);
    row('lost + late at 10 ticks/s', (r) => r.latency.lost + r.latency.late);
    row('heap KB per idle subscriber', (r) => r.heapPerConnKB, 1);
    row('RSS KB per idle subscriber', (r) => r.rssPerConnKB, 1);
    row('connect + subscribe all, s', (r) => r.connectMs / 1000, 2);
    row('subscribed of N', (r) => r.connected);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ');
  console.log(`\nFan-out, one ~200-byte tick to every subscriber (${report.machine.cpus} CPUs, Node ${report.machine.node})`);
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows.slice(1)) console.log(line(r));
}
