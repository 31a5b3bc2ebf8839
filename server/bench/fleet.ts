import { spawnChild, type Proc } from './procs';
import type { Target } from './protocol';
import { Histogram } from './stats';

/** CPUs: the server gets one core, every load process the other (when there are two). */
export const SERVER_CPU = 0;
export const CLIENT_CPU = 1;

interface ClientReport {
  received: number;
  disorder: number;
  frames: number;
  bytes: number;
  closed: number;
  latency: Array<[number, number]>;
  cpu: NodeJS.CpuUsage;
}

/** What all load processes saw of one phase, merged. */
export interface PhaseTotals {
  received: number;
  disorder: number;
  frames: number;
  bytes: number;
  closed: number;
  latency: Histogram;
  /** CPU µs all load processes used so far (for deltas). */
  clientCpuUs: number;
}

/** One server under test and the load processes that connect to it. */
export class Fleet {
  /** The next unused tick sequence number. */
  private seq = 1;

  private constructor(
    readonly target: Target,
    readonly server: Proc,
    readonly clients: Proc[],
    readonly url: string,
  ) {}

  static async start(target: Target, loadProcesses: number, options: { serverFlags?: string[] } = {}): Promise<Fleet> {
    const server = spawnChild(`${target}-server`, './bench-server.ts', [target], {
      cpu: SERVER_CPU,
      nodeFlags: ['--expose-gc', '--max-old-space-size=4096', ...(options.serverFlags ?? [])],
    });
    const clients = Array.from({ length: loadProcesses }, (_, i) =>
      spawnChild(`${target}-load-${i}`, './load-client.ts', [], { cpu: CLIENT_CPU, nodeFlags: ['--max-old-space-size=4096'] }),
    );
    const [info] = await Promise.all([server.ready, ...clients.map((c) => c.ready)]);
    return new Fleet(target, server, clients, String(info!.url));
  }

  /** Reserves `count` sequence numbers and returns the first. */
  take(count: number): number {
    const from = this.seq;
    this.seq += count;
    return from;
  }

  /** Opens `n` subscribed connections spread over the load processes; resolves when all are subscribed. */
  async connect(n: number, timeoutMs: number) {
    const started = performance.now();
    const share = (i: number) => Math.floor(n / this.clients.length) + (i < n % this.clients.length ? 1 : 0);
    const results = await Promise.all(
      this.clients.map((c, i) =>
        c.request<{ connected: number; failed: number; errors: string[] }>('connect', { target: this.target, url: this.url, count: share(i) }, timeoutMs),
      ),
    );
    return {
      connected: results.reduce((s, r) => s + r.connected, 0),
      failed: results.reduce((s, r) => s + r.failed, 0),
      errors: results.flatMap((r) => r.errors),
      ms: performance.now() - started,
    };
  }

  /** Starts counting ticks with sequence numbers in [from, to) on every load process. */
  async phase(from: number, to: number, procs: Proc[] = this.clients): Promise<void> {
    await Promise.all(procs.map((c) => c.request('phase', { from, to })));
  }

  async totals(procs: Proc[] = this.clients): Promise<PhaseTotals> {
    const reports = await Promise.all(procs.map((c) => c.request<ClientReport>('report', {}, 20_000)));
    const latency = new Histogram();
    for (const r of reports) latency.merge(r.latency);
    const sum = (pick: (r: ClientReport) => number) => reports.reduce((s, r) => s + pick(r), 0);
    return {
      received: sum((r) => r.received),
      disorder: sum((r) => r.disorder),
      frames: sum((r) => r.frames),
      bytes: sum((r) => r.bytes),
      closed: sum((r) => r.closed),
      latency,
      clientCpuUs: sum((r) => r.cpu.user + r.cpu.system),
    };
  }

  /** Polls until `expected` ticks arrived or `deadline` (performance.now()) passed. */
  async awaitDelivery(expected: number, deadline: number, procs: Proc[] = this.clients): Promise<PhaseTotals> {
    for (;;) {
      const totals = await this.totals(procs);
      if (totals.received >= expected || performance.now() >= deadline) return totals;
      await sleep(Math.min(100, Math.max(10, deadline - performance.now())));
    }
  }

  /** Waits until nothing more arrives for `quietMs` (a backlog from an overloaded step drained). */
  async drain(quietMs = 300, maxMs = 4_000): Promise<void> {
    const deadline = performance.now() + maxMs;
    let last = -1;
    let stableSince = performance.now();
    while (performance.now() < deadline) {
      const { frames } = await this.totals();
      if (frames !== last) {
        last = frames;
        stableSince = performance.now();
      } else if (performance.now() - stableSince >= quietMs) return;
      await sleep(50);
    }
  }

  async serverCpuUs(): Promise<number> {
    const cpu = await this.server.request<NodeJS.CpuUsage>('cpu');
    return cpu.user + cpu.system;
  }

  /** Stops the server (gracefully, then by force) and every load process. */
  async stop(): Promise<void> {
    for (const c of this.clients) c.kill();
    await Promise.race([this.server.request('stop', {}, 5_000).catch(() => {}), sleep(5_000)]);
    await Promise.race([this.server.exited, sleep(3_000)]);
    this.server.kill();
    await Promise.all([this.server.exited, ...this.clients.map((c) => c.exited)]);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
