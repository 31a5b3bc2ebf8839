import type { BytesResult } from './bytes';
import type { FanoutResult } from './fanout';
import type { IngestResult } from './ingest';
import type { Injection, Target } from './protocol';
import type { ScaleResult } from './scale';

/** One target of "Speed, raised", as measured in this run. */
export interface TargetCheck {
  target: string;
  /** What was measured, with the ratio the target is about. */
  measured: string;
  /** null when the run did not measure it. */
  met: boolean | null;
}

const fmt = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const x = (v: number) => `${v.toFixed(2)}x`;

/**
 * The targets against what this run measured: each with its ratio and whether it is met. Pure, so
 * the summary says exactly what the figures above it say.
 */
export function checkTargets(input: { fanout: FanoutResult[]; injection: FanoutResult[]; ingest?: IngestResult; scale?: ScaleResult; bytes?: BytesResult; injectN: number }): TargetCheck[] {
  const n = input.injectN;
  const all = [...input.fanout, ...input.injection];
  const of = (target: Target, injection: Injection, at = n) => all.find((r) => r.target === target && r.injection === injection && r.n === at);
  const checks: TargetCheck[] = [];
  const ratioCheck = (target: string, a: number | undefined, b: number | undefined, describe: (r: number) => string, ok: (r: number) => boolean) => {
    if (a === undefined || b === undefined || !Number.isFinite(a / b) || b === 0) checks.push({ target, measured: 'not measured in this run', met: null });
    else checks.push({ target, measured: describe(a / b), met: ok(a / b) });
  };

  const oneDesk = of('livedesk', 'one');
  const max = (r: FanoutResult | undefined) => r?.max.deliveriesPerSec;
  const capped = (r: FanoutResult | undefined) => (r?.max.capped ? ' (desk at the ramp ceiling)' : '');
  ratioCheck(`ticks one per turn, N = ${fmt(n)}: max delivered ≥ 1.2x raw ws`, max(oneDesk), max(of('ws', 'one')), (r) => `${fmt(max(oneDesk)!)} vs ${fmt(max(of('ws', 'one'))!)}/s, ${x(r)}${capped(oneDesk)}`, (r) => r >= 1.2);
  ratioCheck(`ticks one per turn, N = ${fmt(n)}: max delivered ≥ 1x Socket.IO`, max(oneDesk), max(of('socketio', 'one')), (r) => `${fmt(max(oneDesk)!)} vs ${fmt(max(of('socketio', 'one'))!)}/s, ${x(r)}${capped(oneDesk)}`, (r) => r >= 1);
  const burstDesk = of('livedesk', 'burst');
  ratioCheck(`ticks in bursts, N = ${fmt(n)}: max delivered ≥ 1x coalescing raw ws`, max(burstDesk), max(of('ws-coalescing', 'burst')), (r) => `${fmt(max(burstDesk)!)} vs ${fmt(max(of('ws-coalescing', 'burst'))!)}/s, ${x(r)}${capped(burstDesk)}`, (r) => r >= 1);
  const p99 = (r: FanoutResult | undefined) => r?.latency.p99;
  ratioCheck(`p99 at 10 ticks/s, one per turn, N = ${fmt(n)}: not hurt (≤ 1.2x raw ws)`, p99(oneDesk), p99(of('ws', 'one')), (r) => `${p99(oneDesk)} vs ${p99(of('ws', 'one'))} ms, ${x(r)}`, (r) => r <= 1.2);
  const cpu = (r: FanoutResult | undefined) => r?.latency.serverCpuUsPerDelivery;
  // Bursts beside it: at 10 ticks/s they are one tick per turn too, so the two differ by the run's noise.
  const cpuBursts = (() => {
    const desk = cpu(burstDesk);
    const ws = cpu(of('ws', 'burst'));
    return desk !== undefined && ws !== undefined && ws > 0 ? ` (bursts: ${fmt(desk, 1)} vs ${fmt(ws, 1)} µs, ${x(desk / ws)})` : '';
  })();
  ratioCheck(`server CPU per delivery at 10 ticks/s, N = ${fmt(n)}: ≤ 1.1x raw ws`, cpu(oneDesk), cpu(of('ws', 'one')), (r) => `${fmt(cpu(oneDesk)!, 1)} vs ${fmt(cpu(of('ws', 'one'))!, 1)} µs, ${x(r)}${cpuBursts}`, (r) => r <= 1.1);
  // After the warm-up cycle: what V8 compiles for the first connections is paid once per process.
  // The figure from the fresh process (which counts it) goes beside it.
  const heap = (r: FanoutResult | undefined) => r?.warmHeapPerConnKB;
  const coldHeap = (r: FanoutResult | undefined) => r?.heapPerConnKB;
  const heapSocketIo = heap(of('socketio', 'burst'));
  const wsBurst = of('ws', 'burst');
  ratioCheck(
    `heap per idle subscribed connection, N = ${fmt(n)}: ≤ 1.2x raw ws`,
    heap(burstDesk),
    heap(wsBurst),
    (r) =>
      `${fmt(heap(burstDesk)!, 2)} vs ${fmt(heap(wsBurst)!, 2)} KB after a warm-up of ${fmt(burstDesk!.warmup)} connections, ${x(r)}${heapSocketIo !== undefined ? ` (Socket.IO ${fmt(heapSocketIo, 2)} KB)` : ''}; from the fresh process ${fmt(coldHeap(burstDesk)!, 2)} vs ${fmt(coldHeap(wsBurst)!, 2)} KB, ${x(coldHeap(burstDesk)! / coldHeap(wsBurst)!)}`,
    (r) => r <= 1.2,
  );

  const ingest = input.ingest;
  const run = (sync: 'normal' | 'full', connections: number) => ingest?.runs.find((r) => r.synchronous === sync && r.path === 'market.executeTrade' && r.connections === connections);
  const normal8 = run('normal', 8);
  if (!ingest || !normal8) checks.push({ target: 'durable ingest, NORMAL, 8 connections: ≥ 20,000/s and ≥ 0.5x bare SQLite', measured: 'not measured in this run', met: null });
  else {
    checks.push({
      target: 'durable ingest, NORMAL, 8 connections: ≥ 20,000/s and ≥ 0.5x bare SQLite',
      // The server's CPU per mutation and the share of a core it had say whether the desk or the machine was the limit.
      measured: `${fmt(normal8.perSec)}/s, ${x(normal8.perSec / ingest.bare.normal.perSec)} of bare (${fmt(ingest.bare.normal.perSec)}/s); ${fmt(normal8.serverCpuUs)} µs of server CPU each, ${fmt(normal8.serverCoreShare * 100)} % of a core${
        ingest.floor ? `; the floor for the same load (raw ws, a row each, a transaction per turn) ${fmt(ingest.floor.durable.perSec)}/s, ${x(ingest.floor.durable.perSec / ingest.bare.normal.perSec)} of bare` : ''
      }`,
      met: normal8.perSec >= 20_000 && normal8.perSec >= 0.5 * ingest.bare.normal.perSec,
    });
  }
  const full8 = run('full', 8);
  ratioCheck('durable ingest, FULL, 8 connections: ≥ 1x bare SQLite (group commit)', full8?.perSec, ingest?.bare.full.perSec, (r) => `${fmt(full8!.perSec)} vs ${fmt(ingest!.bare.full.perSec)}/s, ${x(r)}; ${fmt(full8!.serverCpuUs)} µs of server CPU each, ${fmt(full8!.serverCoreShare * 100)} % of a core`, (r) => r >= 1);

  const scale = input.scale;
  const sDesk = scale?.runs.find((r) => r.target === 'livedesk');
  const sWs = scale?.runs.find((r) => r.target === 'ws');
  if (!scale || !sDesk || !sWs) checks.push({ target: 'scale: 50,000 subscribed, all receiving, p99 at 1 tick/s ≤ 1.2x raw ws', measured: 'not measured in this run', met: null });
  else {
    const reached = scale.n >= 50_000 && sDesk.connected === scale.n && sDesk.latency.lost === 0;
    checks.push({
      target: 'scale: 50,000 subscribed, all receiving, p99 at 1 tick/s ≤ 1.2x raw ws',
      measured: `N = ${fmt(scale.n)}${scale.n < scale.requested ? ` (open-file hard limit ${fmt(scale.fd.hard)})` : ''}: ${fmt(sDesk.connected)} subscribed, lost ${sDesk.latency.lost}; p99 ${sDesk.latency.p99} vs ${sWs.latency.p99} ms, ${x(sDesk.latency.p99 / sWs.latency.p99)}; heap ${fmt(sDesk.heapPerConnKB, 2)} vs ${fmt(sWs.heapPerConnKB, 2)} KB per connection`,
      met: reached && sDesk.latency.p99 <= 1.2 * sWs.latency.p99,
    });
  }
  const bytes = input.bytes;
  const fewer = 'fewer bytes: positions, portfolio, agents, tasks, workflows with deltas ≥ 5x fewer bytes/s (compact deltas, packed frames)';
  if (!bytes || bytes.total.compact === 0) checks.push({ target: fewer, measured: 'not measured in this run', met: null });
  else {
    const off = bytes.deflate.find((r) => !r.deflate && !r.deltas);
    const both = bytes.deflate.find((r) => r.deflate && r.mode === 'deltas');
    const withDeflate = off && both ? `; with permessage-deflate too ${x(off.wireBytesPerSec / both.wireBytesPerSec)} at N = ${fmt(both.n)}` : '';
    const perStream = bytes.streams.filter((s) => s.compact > 0).map((s) => `${s.path.split('.')[1]} ${x(s.compactRatio)}`).join(', ');
    checks.push({
      target: fewer,
      measured: `${fmt(bytes.total.whole)} vs ${fmt(bytes.total.compact)} B/s at ${bytes.ticksPerSecond} ticks/s, ${x(bytes.total.compactRatio)} (${perStream}); plain patches ${x(bytes.total.ratio)}${withDeflate}`,
      met: bytes.total.compactRatio >= 5,
    });
  }
  return checks;
}

/** Prints the targets table with the machine and its load average. */
export function printTargets(checks: TargetCheck[], machine: { cpus: number; node: string }, loadavg: { before: number[]; after: number[] }): void {
  const la = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(`\nTargets (${machine.cpus} CPUs, Node ${machine.node}; load average ${la(loadavg.before)} before, ${la(loadavg.after)} after)`);
  const width = Math.max(...checks.map((c) => c.target.length));
  for (const c of checks) console.log(`  ${c.met === null ? '  –  ' : c.met ? ' met ' : ' NOT '} ${c.target.padEnd(width)}  ${c.measured}`);
}
