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
  groups: Array<{ id: number; received: number; latency: Array<[number, number]> }>;
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
  /** The same per server instance (index into `Fleet.servers`). */
  byInstance: Array<{ received: number; latency: Histogram }>;
  /** CPU µs all load processes used so far (for deltas). */
  clientCpuUs: number;
}

export interface FleetOptions {
  /** Extra flags for the server process(es). */
  serverFlags?: string[];
  /**
   * Cluster mode (livedesk only): `instances` desk processes share the command log on this Redis
   * under `prefix`; ticks are published through the first. `extraCpuUs` (Redis) counts as server CPU.
   */
  cluster?: { url: string; prefix: string; instances: number; extraCpuUs?: () => number };
  /** Extra environment for the server process(es). */
  env?: Record<string, string>;
  /** Open-file limit of the server process(es) (one descriptor per connection; see `fdLimit`). */
  serverNofile?: number;
  /**
   * Load process i connects from 127.0.0.(i + 2) instead of 127.0.0.1: each source address has its
   * own ~28,000 ephemeral ports towards the server's one port (Linux routes all of 127/8 to lo).
   */
  spreadSources?: boolean;
}

/**
 * The server(s) under test and the load processes that connect to them. One server, or in cluster
 * mode several desk instances: ticks go through the first (`server`), load connections are split
 * evenly over all of them.
 */
export class Fleet {
  /** The next unused tick sequence number. */
  private seq = 1;

  private constructor(
    readonly target: Target,
    readonly servers: Proc[],
    readonly clients: Proc[],
    readonly urls: string[],
    private readonly extraCpuUs: () => number = () => 0,
    private readonly spreadSources = false,
  ) {}

  /** The server ticks are published through (the only one outside cluster mode). */
  get server(): Proc {
    return this.servers[0]!;
  }

  get url(): string {
    return this.urls[0]!;
  }

  static async start(target: Target, loadProcesses: number, options: FleetOptions = {}): Promise<Fleet> {
    const cluster = options.cluster;
    if (cluster && target !== 'livedesk') throw new Error('cluster mode is for livedesk only');
    const servers = Array.from({ length: cluster?.instances ?? 1 }, (_, i) =>
      spawnChild(cluster ? `${target}-server-${String.fromCharCode(65 + i)}` : `${target}-server`, './bench-server.ts', [target], {
        cpu: SERVER_CPU,
        nodeFlags: ['--expose-gc', '--max-old-space-size=4096', ...(options.serverFlags ?? [])],
        nofile: options.serverNofile,
        env: cluster ? { ...options.env, BENCH_CLUSTER_URL: cluster.url, BENCH_CLUSTER_PREFIX: cluster.prefix } : options.env,
      }),
    );
    const clients = Array.from({ length: loadProcesses }, (_, i) =>
      spawnChild(`${target}-load-${i}`, './load-client.ts', [], { cpu: CLIENT_CPU, nodeFlags: ['--max-old-space-size=4096'] }),
    );
    try {
      const infos = await Promise.all(servers.map((s) => s.ready));
      await Promise.all(clients.map((c) => c.ready));
      return new Fleet(target, servers, clients, infos.map((info) => String(info.url)), cluster?.extraCpuUs, options.spreadSources);
    } catch (error) {
      for (const p of [...servers, ...clients]) p.kill();
      throw error;
    }
  }

  /** Reserves `count` sequence numbers and returns the first. */
  take(count: number): number {
    const from = this.seq;
    this.seq += count;
    return from;
  }

  /**
   * Opens `n` subscribed connections spread over the load processes (and evenly over the server
   * instances: half and half for two); resolves when all are subscribed. Each load process keeps
   * `perProcess` handshakes in flight in all.
   */
  async connect(n: number, timeoutMs: number, perProcess = 200) {
    const started = performance.now();
    const share = (total: number, parts: number, i: number) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);
    const concurrency = Math.max(1, Math.floor(perProcess / this.urls.length));
    const requests = this.urls.flatMap((url, instance) =>
      this.clients.map((c, i) => ({
        instance,
        result: c.request<{ connected: number; failed: number; errors: string[] }>(
          'connect',
          {
            target: this.target,
            url,
            count: share(share(n, this.urls.length, instance), this.clients.length, i),
            concurrency,
            group: instance,
            localAddress: this.spreadSources ? `127.0.0.${2 + (i % 250)}` : undefined,
          },
          timeoutMs,
        ),
      })),
    );
    const results = await Promise.all(requests.map(async (r) => ({ instance: r.instance, ...(await r.result) })));
    return {
      connected: results.reduce((s, r) => s + r.connected, 0),
      failed: results.reduce((s, r) => s + r.failed, 0),
      errors: [...new Set(results.flatMap((r) => r.errors))],
      /** Subscribed connections per server instance. */
      byInstance: this.urls.map((_, i) => results.filter((r) => r.instance === i).reduce((s, r) => s + r.connected, 0)),
      ms: performance.now() - started,
    };
  }

  /**
   * One connect + subscribe + close cycle of `n` connections, ended once the server(s) count none
   * open: what V8 compiles for a server's connection path is then paid before a measurement starts
   * (it is paid once per process, not per connection).
   */
  async warm(n: number, timeoutMs = 60_000): Promise<{ connected: number; ms: number }> {
    const started = performance.now();
    const conn = await this.connect(n, timeoutMs);
    await Promise.all(this.clients.map((c) => c.request('close')));
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const open = await Promise.all(this.servers.map((s) => s.request<number>('connections')));
      if (open.every((o) => o === 0)) break;
      if (performance.now() >= deadline) throw new Error(`warm-up: ${open.join(' + ')} connections still open after ${timeoutMs} ms`);
      await sleep(20);
    }
    // Closes publish presence and free records on timers of their own (tens of ms).
    await sleep(200);
    return { connected: conn.connected, ms: performance.now() - started };
  }

  /** Starts counting ticks with sequence numbers in [from, to) on every load process. */
  async phase(from: number, to: number, procs: Proc[] = this.clients): Promise<void> {
    await Promise.all(procs.map((c) => c.request('phase', { from, to })));
  }

  async totals(procs: Proc[] = this.clients): Promise<PhaseTotals> {
    const reports = await Promise.all(procs.map((c) => c.request<ClientReport>('report', {}, 20_000)));
    const latency = new Histogram();
    for (const r of reports) latency.merge(r.latency);
    const byInstance = this.servers.map(() => ({ received: 0, latency: new Histogram() }));
    for (const r of reports) {
      for (const g of r.groups) {
        const into = byInstance[g.id];
        if (!into) continue;
        into.received += g.received;
        into.latency.merge(g.latency);
      }
    }
    const sum = (pick: (r: ClientReport) => number) => reports.reduce((s, r) => s + pick(r), 0);
    return {
      received: sum((r) => r.received),
      disorder: sum((r) => r.disorder),
      frames: sum((r) => r.frames),
      bytes: sum((r) => r.bytes),
      closed: sum((r) => r.closed),
      latency,
      byInstance,
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

  /** CPU µs the server side used so far: every instance (and Redis, in cluster mode). */
  async serverCpuUs(): Promise<number> {
    const cpus = await Promise.all(this.servers.map((s) => s.request<NodeJS.CpuUsage>('cpu')));
    return cpus.reduce((sum, cpu) => sum + cpu.user + cpu.system, 0) + this.extraCpuUs();
  }

  /** Stops the server(s) (gracefully, then by force) and every load process. */
  async stop(): Promise<void> {
    for (const c of this.clients) c.kill();
    await Promise.all(
      this.servers.map(async (server) => {
        await Promise.race([server.request('stop', {}, 5_000).catch(() => {}), sleep(5_000)]);
        await Promise.race([server.exited, sleep(3_000)]);
        server.kill();
      }),
    );
    await Promise.all([...this.servers.map((s) => s.exited), ...this.clients.map((c) => c.exited)]);
  }
}

/**
 * Connections of the warm-up cycle before memory per connection is measured (`Fleet.warm`): after
 * 200 the desk still compiles ~0.4 KB per connection at N = 1,000 (optimized code), after 1,000
 * ~0.1 KB.
 */
export const WARM_CONNECTIONS = 1000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
