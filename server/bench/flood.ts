/**
 * Floods: what hostile clients do to everyone else. The real server (`server/main.ts`, simulator
 * on, tokens configured, a capped heap) in its own process, the floods in another (`flooder.ts`),
 * and in this one a well-behaved operator that watches prices over WebSocket and books a mutation
 * over HTTP every 40 ms. First a phase with no flood (the baseline), then one phase per flood; each
 * phase reports the operator's tick latency p99 and longest gap between ticks, its mutation p99,
 * the longest `/health` answer and the server's heap. Used by `npm run bench` (ratios against the
 * baseline of the same run) and by `server/test/flood.test.ts` (loose bounds).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDeskClient } from '../../shared/node';
import type { DeskCustomEvent, PriceTick, StreamMessage } from '../../shared/index';
import { freePort } from '../net/free-port';
import type { FloodKind, FloodSpec } from './flooder';
import { CLIENT_CPU, SERVER_CPU } from './fleet';
import { adopt, pinned, spawnChild } from './procs';
import { Histogram } from './stats';

const token = (name: string) => `${name}-token-0123456789abcdef`;
const VIEWERS = [1, 2, 3, 4].map((i) => token(`viewer${i}`));
const FLOOD_OPERATOR = token('operator-flood');
const PROBE_OPERATOR = token('operator-probe');
const ADMIN = token('admin');

export interface FloodPhase {
  name: string;
  floods: { kind: FloodKind; token?: string }[];
}

/** The floods of the hostile-clients report, after a baseline with none. */
export const FLOOD_PHASES: FloodPhase[] = [
  { name: 'no flood (baseline)', floods: [] },
  { name: 'operator mutation flood + viewer junk', floods: [{ kind: 'mutations', token: FLOOD_OPERATOR }, { kind: 'junk', token: VIEWERS[0] }] },
  { name: '4 viewers sending junk', floods: VIEWERS.map((t) => ({ kind: 'junk' as const, token: t })) },
  { name: 'one unauthenticated socket', floods: [{ kind: 'anon' }] },
  { name: 'never-reading batch sender', floods: [{ kind: 'deaf', token: VIEWERS[1] }] },
  // The machine's own noise, and that everything recovered.
  { name: 'no flood (after)', floods: [] },
];

/** With `control`: no client, half a core busy elsewhere: the part of a flood's figures the server has no say in. */
export const CONTROL_PHASE: FloodPhase = { name: 'control: a busy process, no client', floods: [{ kind: 'burn' }] };

export interface PhaseFigures {
  name: string;
  /** Frames the flooders sent in the phase (what the server had to cope with, or hold back); for the control, busy loop turns. */
  flooded: number;
  ticks: number;
  tickP99: number;
  /** Longest time between two price messages to the operator, ms. */
  tickMaxGapMs: number;
  mutations: number;
  mutationP99: number;
  healthMaxMs: number;
  heapMaxMB: number;
  rssMaxMB: number;
  /** CPU the server and the flooder used over the phase, % of one core (the machine may be busy with more). */
  serverCpuPct: number;
  flooderCpuPct: number;
  /** The server's longest event-loop delay (prom-client's, over each 250 ms between scrapes), ms. */
  loopLagMaxMs: number;
}

/** User + system CPU time of a process so far, ms (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

export interface FloodResult {
  phases: PhaseFigures[];
  /** Acknowledged probe mutations whose event did not reach the probe's own stream (should be 0). */
  lost: number;
  /** Probe mutations that failed, with why (should be none). */
  failed: string[];
  /** Events that reached the probe twice (should be 0). */
  duplicates: number;
  /** Set when the server exited during the run. */
  serverExit: string | null;
}

export interface FloodOptions {
  /** Measured time per phase. @default 5000 */
  phaseMs?: number;
  /** The server's heap cap (`--max-old-space-size`), MB: a flood that grows memory kills it. @default 256 */
  heapLimitMB?: number;
  /** Called as each phase ends. */
  onPhase?: (figures: PhaseFigures) => void;
  /** Also run `CONTROL_PHASE` (before the last baseline). @default false */
  control?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `server/main.ts` on 127.0.0.1 and resolves once it listens. */
async function startServer(heapLimitMB: number): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  // Server and floods on CPUs of their own (when there are two and taskset), as the fan-out bench does.
  const [command, ...args] = pinned(SERVER_CPU, [process.execPath, `--max-old-space-size=${heapLimitMB}`, '--import', 'tsx', main]);
  const child = spawn(command!, args, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DESK_SIM: '1',
      DESK_SIM_TPS: '50',
      DESK_DB: ':memory:',
      DESK_STATIC_DIR: '/nonexistent',
      DESK_VIEWER_TOKENS: VIEWERS.join(','),
      DESK_OPERATOR_TOKENS: `${FLOOD_OPERATOR},${PROBE_OPERATOR}`,
      DESK_ADMIN_TOKENS: ADMIN,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  adopt(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    child.stdout!.on('data', () => {
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

/** Runs every phase of `FLOOD_PHASES` against a fresh server and returns what the operator saw. */
export async function measureFlood(options: FloodOptions = {}): Promise<FloodResult> {
  const phaseMs = options.phaseMs ?? 5000;
  const server = await startServer(options.heapLimitMB ?? 256);
  let serverExit: string | null = null;
  server.child.once('exit', (code, signal) => (serverExit = `exited with ${code ?? signal}: ${server.output().slice(-2000)}`));
  const flooder = spawnChild('flooder', './flooder.ts', [], { cpu: CLIENT_CPU });
  const probe = createDeskClient({ url: server.url, token: PROBE_OPERATOR });
  const timers: NodeJS.Timeout[] = [];
  try {
    await flooder.ready;
    const wsUrl = `${server.url.replace(/^http/, 'ws')}/trpc`;

    // What each sample goes into: the current phase's figures, or nothing between phases.
    let current: { ticks: Histogram; mutations: Histogram; gapMax: number; healthMax: number; heapMax: number; rssMax: number; lagMax: number; lastTick: number } | null = null;
    const fresh = () => ({ ticks: new Histogram(), mutations: new Histogram(), gapMax: 0, healthMax: 0, heapMax: 0, rssMax: 0, lagMax: 0, lastTick: 0 });

    const prices = probe.api.market.onPrices.subscribe(undefined, {
      onData: ({ data }: { data: StreamMessage<PriceTick> }) => {
        if (current === null || data.type !== 'changes') return;
        const now = Date.now();
        for (const tick of data.upserts) current.ticks.add(now - tick.ts);
        if (current.lastTick !== 0) current.gapMax = Math.max(current.gapMax, now - current.lastTick);
        current.lastTick = now;
      },
    });

    // The probe's own events (by the sequence number each carries), to check that each acknowledged one arrives once.
    const arrived = new Map<number, number>();
    const custom = probe.api.feeds.onCustom.subscribe({ type: 'probe', limit: 0 }, {
      onData: ({ data }: { data: StreamMessage<DeskCustomEvent> }) => {
        if (data.type !== 'append') return;
        for (const event of data.items) arrived.set(event.data as number, (arrived.get(event.data as number) ?? 0) + 1);
      },
    });
    const acknowledged: number[] = [];
    const failed: string[] = [];
    let seq = 0;
    timers.push(
      setInterval(() => {
        const started = performance.now();
        const sample = current;
        const mine = seq++;
        probe.api.feeds.broadcastCustom.mutate({ type: 'probe', data: mine }).then(
          () => {
            sample?.mutations.add(performance.now() - started);
            acknowledged.push(mine);
          },
          (error: Error) => failed.push(error.message),
        );
      }, 40),
    );
    timers.push(
      setInterval(() => {
        const started = performance.now();
        const sample = current;
        void fetch(`${server.url}/health`).then(
          () => sample && (sample.healthMax = Math.max(sample.healthMax, performance.now() - started)),
          () => undefined,
        );
      }, 100),
    );
    timers.push(
      setInterval(() => {
        const sample = current;
        void fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
          .then((res) => res.text())
          .then((text) => {
            const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024 / 1024;
            if (!sample) return;
            sample.heapMax = Math.max(sample.heapMax, read('livedesk_nodejs_heap_size_used_bytes'));
            sample.rssMax = Math.max(sample.rssMax, read('livedesk_process_resident_memory_bytes'));
            sample.lagMax = Math.max(sample.lagMax, read('livedesk_nodejs_eventloop_lag_max_seconds') * 1024 * 1024 * 1000);
          }, () => undefined);
      }, 250),
    );

    // Let the subscriptions start and the first ticks arrive before measuring anything.
    await sleep(1000);
    const phases: PhaseFigures[] = [];
    const plan = options.control ? [...FLOOD_PHASES.slice(0, -1), CONTROL_PHASE, ...FLOOD_PHASES.slice(-1)] : FLOOD_PHASES;
    for (const phase of plan) {
      if (serverExit) break;
      const floods: FloodSpec[] = phase.floods.map((f) => ({ ...f, url: wsUrl }));
      if (floods.length > 0) await flooder.request('start', { floods });
      current = fresh();
      const cpuBefore = [cpuMs(server.child.pid), cpuMs(flooder.child.pid)];
      const startedAt = performance.now();
      await sleep(phaseMs);
      const wall = performance.now() - startedAt;
      const [serverCpu, flooderCpu] = [cpuMs(server.child.pid) - cpuBefore[0]!, cpuMs(flooder.child.pid) - cpuBefore[1]!];
      const done = current;
      current = null;
      const { sent } = floods.length > 0 ? await flooder.request<{ sent: number }>('stop') : { sent: 0 };
      const figures: PhaseFigures = {
        name: phase.name,
        flooded: sent,
        ticks: done.ticks.count,
        tickP99: done.ticks.percentile(99),
        tickMaxGapMs: done.gapMax,
        mutations: done.mutations.count,
        mutationP99: done.mutations.percentile(99),
        healthMaxMs: Math.round(done.healthMax),
        heapMaxMB: Math.round(done.heapMax),
        rssMaxMB: Math.round(done.rssMax),
        serverCpuPct: Math.round((serverCpu / wall) * 100),
        flooderCpuPct: Math.round((flooderCpu / wall) * 100),
        loopLagMaxMs: Math.round(done.lagMax),
      };
      phases.push(figures);
      options.onPhase?.(figures);
      // What the server still holds of the flood drains before the next phase.
      await sleep(300);
    }
    for (const timer of timers.splice(0)) clearInterval(timer);
    // Every acknowledged probe event reaches the probe's stream (unless the server died).
    const deadline = Date.now() + 5000;
    while (!serverExit && Date.now() < deadline && acknowledged.some((id) => !arrived.has(id))) await sleep(50);
    prices.unsubscribe();
    custom.unsubscribe();
    return {
      phases,
      lost: acknowledged.filter((id) => !arrived.has(id)).length,
      failed,
      duplicates: [...arrived.values()].filter((n) => n > 1).length,
      serverExit,
    };
  } finally {
    for (const timer of timers) clearInterval(timer);
    probe.close();
    flooder.kill();
    server.child.kill('SIGKILL');
    await flooder.exited;
  }
}

/** The flood table: each phase's figures and its p99s as ratios of the baseline's. */
export function printFloodTable(result: FloodResult): void {
  const base = result.phases[0];
  if (!base) return;
  const x = (v: number, b: number) => (Number.isFinite(v) && b > 0 ? `${(v / b).toFixed(1)}×` : '–');
  const header = ['phase', 'tick p99 ms', '×base', 'max gap ms', 'mutation p99 ms', '×base', '/health max ms', 'heap MB', 'server CPU %', 'loop lag max ms', 'flood frames'];
  const rows = [header, ...result.phases.map((p) => [
    p.name,
    String(p.tickP99),
    x(p.tickP99, base.tickP99),
    String(p.tickMaxGapMs),
    String(p.mutationP99),
    x(p.mutationP99, base.mutationP99),
    String(p.healthMaxMs),
    String(p.heapMaxMB),
    String(p.serverCpuPct),
    String(p.loopLagMaxMs),
    String(p.flooded),
  ])];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('\nFloods (another operator\'s ticks over WebSocket and mutations over HTTP, one flood at a time):');
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  console.log(`lost ${result.lost}, duplicated ${result.duplicates}, failed ${result.failed.length}${result.serverExit ? `, server ${result.serverExit}` : ''}`);
}
