import type { FanoutResult, InstanceFigures } from './fanout';
import type { Target } from './protocol';
import type { ResumeResult } from './resume';
import type { RetentionResult } from './retention';
import type { SlowResult } from './slow-consumer';
import { ratio } from './stats';
import type { VerifyResult } from './verify';

export interface Report {
  machine: { cpus: number; node: string };
  fanout: FanoutResult[];
  /** Cluster runs (`--cluster`): livedesk ×2 sharing a command log on Redis. */
  cluster?: FanoutResult[];
  slow: SlowResult[];
  resume?: ResumeResult;
  verify?: VerifyResult;
  /** `--retention`: a log pre-filled to its retention beside a fresh one. */
  retention?: RetentionResult;
  skipped: string[];
  errors: string[];
}

const CLUSTER_LABEL = 'livedesk ×2 (Redis)';
const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');

/** Prints the side-by-side table: one row per N and metric, the servers and the ratios. */
export function printTable(report: Report): void {
  const clustered = (report.cluster?.length ?? 0) > 0;
  const header = ['N', 'metric', 'livedesk', ...(clustered ? [CLUSTER_LABEL] : []), 'raw ws', 'Socket.IO', 'ld/ws', 'ld/sio', ...(clustered ? ['×2/ld'] : [])];
  const rows: string[][] = [header];
  const sizes = [...new Set([...report.fanout, ...(report.cluster ?? [])].map((r) => r.n))].sort((a, b) => a - b);
  for (const n of sizes) {
    const of = (t: Target) => report.fanout.find((r) => r.n === n && r.target === t);
    const pair = report.cluster?.find((r) => r.n === n);
    const row = (metric: string, pick: (r: FanoutResult) => number, digits = 0, mark: (r: FanoutResult) => string = () => '') => {
      const [l, w, s] = (['livedesk', 'ws', 'socketio'] as const).map((t) => {
        const r = of(t);
        return r ? pick(r) : Number.NaN;
      });
      const c = pair ? pick(pair) : Number.NaN;
      const cell = (r: FanoutResult | undefined, v: number) => (r && Number.isFinite(v) ? mark(r) : '') + fmt(v, digits);
      rows.push([
        fmt(n),
        metric,
        cell(of('livedesk'), l!),
        ...(clustered ? [cell(pair, c)] : []),
        cell(of('ws'), w!),
        cell(of('socketio'), s!),
        x(ratio(l, w)),
        x(ratio(l, s)),
        ...(clustered ? [x(ratio(c, l))] : []),
      ]);
    };
    /** A row only the cluster column has. */
    const clusterRow = (metric: string, cell: string) => {
      if (!pair) return;
      rows.push([fmt(n), metric, '', cell, '', '', '', '', '']);
    };
    // ≥: every step passed, the ramp stopped at its ceiling.
    row('max deliveries/s (≥99.9% in time)', (r) => r.max.deliveriesPerSec, 0, (r) => (r.max.capped ? '≥ ' : ''));
    row('  server CPU µs per delivery', (r) => r.max.serverCpuUsPerDelivery, 1);
    const single = of('livedesk');
    if (pair && single) {
      // The same ramp step on both (they climb the same ladder): CPU per delivery at equal load.
      const passed = (r: FanoutResult) => r.max.steps.filter((s) => s.ok);
      const common = passed(pair)
        .filter((c) => passed(single).some((s) => s.tickRate === c.tickRate))
        .sort((a, b) => b.tickRate - a.tickRate)[0];
      const same = common && passed(single).find((s) => s.tickRate === common.tickRate);
      rows.push([
        fmt(n),
        common ? `  CPU µs/delivery at ${fmt(common.deliveriesPerSec)}/s` : '  CPU µs/delivery at the same rate',
        same ? fmt(same.serverCpuUsPerDelivery, 1) : '–',
        common ? fmt(common.serverCpuUsPerDelivery, 1) : '–',
        '',
        '',
        '',
        '',
        same && common ? x(ratio(common.serverCpuUsPerDelivery, same.serverCpuUsPerDelivery)) : '–',
      ]);
    }
    row('  p99 ms during the max step', (r) => r.max.p99Ms);
    row('  ticks per frame at max', (r) => r.max.ticksPerFrame, 1);
    row('  load-client CPU % at max', (r) => r.max.clientCpuPct);
    row('p50 ms at 10 ticks/s', (r) => r.latency.p50);
    const phases = Math.max(...report.fanout.filter((r) => r.n === n).map((r) => r.latency.p99Runs?.length ?? 1));
    row(phases > 1 ? `p99 ms at 10 ticks/s (median of ${phases})` : 'p99 ms at 10 ticks/s', (r) => r.latency.p99);
    row('max ms at 10 ticks/s', (r) => r.latency.max);
    const instances = pair?.cluster?.instances ?? [];
    const each = (pick: (i: InstanceFigures) => number, digits = 0) => instances.map((i) => fmt(pick(i), digits)).join(' / ');
    clusterRow('  p50 / p99 / max ms via A (publishes)', instances[0] ? `${instances[0].latency.p50} / ${instances[0].latency.p99} / ${instances[0].latency.max}` : '–');
    clusterRow('  p50 / p99 / max ms via B', instances[1] ? `${instances[1].latency.p50} / ${instances[1].latency.p99} / ${instances[1].latency.max}` : '–');
    row(phases > 1 ? `lost + late at 10 ticks/s (all ${phases})` : 'lost + late at 10 ticks/s', (r) => r.latency.lost + r.latency.late);
    row('heap KB per idle subscriber, after a warm-up', (r) => r.warmHeapPerConnKB, 2);
    clusterRow('  heap KB per idle subscriber, A / B', each((i) => i.warmHeapPerConnKB, 2));
    row('  from the fresh process (incl. one-time code)', (r) => r.heapPerConnKB, 2);
    row('RSS KB per idle subscriber, after a warm-up', (r) => r.warmRssPerConnKB, 1);
    row('  from the fresh process', (r) => r.rssPerConnKB, 1);
    row('connect + subscribe all, s', (r) => r.connectMs / 1000, 2);
    row('subscribed of N', (r) => r.connected);
    clusterRow('  subscribed on A / B', each((i) => i.connected));
    const ids = pair?.cluster?.ids;
    clusterRow(
      'same event ids on A and B',
      ids ? `${ids.identical ? 'yes' : 'NO'} (${ids.sameIds}/${ids.compared} ids, ticks ${ids.sameTicks ? 'same' : 'differ'})` : 'check failed',
    );
    row('other processes\' CPU % meanwhile', (r) => r.foreignCpuPct);
  }
  if (rows.length === 1) {
    printSlow(report.slow);
    printOthers(report);
    return;
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ');
  console.log(`\nFan-out, one ~200-byte tick to every subscriber (${report.machine.cpus} CPUs, Node ${report.machine.node})`);
  if (clustered) {
    console.log(
      `${CLUSTER_LABEL}: two desk instances sharing one command log on a local redis-server, N/2 subscribers on each, ticks published as commands through A; server CPU counts both instances and Redis`,
    );
  }
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows.slice(1)) console.log(line(r));
  printSlow(report.slow);
  printOthers(report);
}

function printSlow(results: SlowResult[]): void {
  for (const r of results) {
    const peak = (key: 'rssMB' | 'heapMB' | 'bufferedKB', run: SlowResult['with']) => Math.max(...run.samples.map((s) => s[key]));
    const first = (key: 'rssMB' | 'heapMB', run: SlowResult['with']) => run.samples[0]?.[key] ?? Number.NaN;
    console.log(
      `\nSlow consumer, ${r.target}: ${r.others} subscribers + 1 that reads nothing for ${r.seconds} s, ${fmt(r.tickRate)} ticks/s`,
    );
    console.log(`  others' p50 / p99 / max ms: without ${r.without.p50} / ${r.without.p99} / ${r.without.max}, with ${r.with.p50} / ${r.with.p99} / ${r.with.max} (p99 ${x(r.p99Ratio)}); lost ${r.without.lost} / ${r.with.lost}`);
    console.log(
      `  server heap after GC grew ${fmt(r.with.heapGrowthMB, 1)} MB (without: ${fmt(r.without.heapGrowthMB, 1)} MB); RSS ${fmt(first('rssMB', r.with), 0)} → peak ${fmt(peak('rssMB', r.with), 0)} MB; peak user-space send buffers ${fmt(peak('bufferedKB', r.with) / 1024, 1)} MB`,
    );
    console.log(`  other processes' CPU % meanwhile: without ${fmt(r.without.foreignCpuPct)}, with ${fmt(r.with.foreignCpuPct)}`);
    console.log(`  heap MB each second: ${r.with.samples.map((s) => fmt(s.heapMB, 0)).join(' ')}`);
    console.log(`  send buffers MB each second: ${r.with.samples.map((s) => fmt(s.bufferedKB / 1024, 1)).join(' ')}`);
    console.log(`  the slow client, once reading again, got ${fmt(r.slowClient.received)} of ${fmt(r.slowClient.expected)} ticks${r.slowClient.closed ? ' and was disconnected' : ''}`);
  }
}

function printRetention(result: RetentionResult | undefined): void {
  if (!result) return;
  console.log(`\nRetention (livedesk, file database, DESK_RETAIN_EVENTS=${fmt(result.retainEvents)}): fresh log vs one pre-filled to the limit`);
  for (const r of result.runs) {
    console.log(
      `  ${r.log.padEnd(9)} ${fmt(r.prefilled).padStart(9)} events: ingest ${fmt(r.ingest.perSec)}/s (ack p50 / p99 / max ${r.ingest.p50} / ${r.ingest.p99} / ${r.ingest.max} ms, ${r.ingest.failed} failed; event-loop delay p99 / max ${fmt(r.loopDelay.p99)} / ${fmt(r.loopDelay.max)} ms); N=${fmt(r.latency.n)} at 10 ticks/s p50 / p99 / max ${r.latency.p50} / ${r.latency.p99} / ${r.latency.max} ms, lost ${r.latency.lost}, late ${r.latency.late}; pruned ${fmt(r.pruned)} rows in ${r.pruning.steps} steps (${fmt(r.pruning.rowsPerSec)} rows/s of step time, longest step ${fmt(r.pruning.maxStepMs, 1)} ms), ${fmt(r.rowsAtEnd)} left`,
    );
  }
}

function printOthers(report: Report): void {
  printRetention(report.retention);
  const { resume, verify } = report;
  if (resume) {
    console.log(
      `\nResume (livedesk, feeds.onCustom): ${fmt(resume.received)} of ${fmt(resume.events)} missed events in ${fmt(resume.catchUpMs)} ms (${resume.frames} frames, ${fmt(resume.bytes / 1024)} KB); in order ${resume.inOrder}, gaps ${resume.gaps}, duplicates ${resume.duplicates}, ends on the newest id ${resume.endsOnLastId}`,
    );
  }
  if (verify) {
    console.log(
      `Stock @trpc/client vs bench client on market.onPrices: ${verify.stockClient} / ${verify.rawClient} of ${verify.ticks} ticks; same ticks ${verify.sameTicks}, same messages and ids ${verify.sameMessages}`,
    );
  }
  if (report.skipped.length) console.log(`Skipped: ${report.skipped.join(', ')}`);
  for (const error of report.errors) console.log(`Failed: ${error}`);
}
