import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useCluster } from './cluster-fixture';
import { eventually, sleep } from './harness';
import { freePort, spawnServer } from './process';
import { haveRedis } from './redis-server';

const LEASE_MS = 1000;

describe.skipIf(!haveRedis)('cluster mode: the simulator runs on exactly one instance', () => {
  let other: ChildProcess | null = null;
  const cluster = useCluster({ prefix: 'failover', app: { cluster: { simLeaseMs: LEASE_MS } } });
  cluster.defer(() => other?.kill('SIGKILL'));

  /** The instances whose simulator ticks appended since stream id `after`, and the newest id. */
  async function tickers(after: string): Promise<{ instances: Set<string>; last: string }> {
    const entries = await cluster.inspect().xrange(`${cluster.prefix}:commands`, `(${after}`, '+');
    const instances = new Set<string>();
    for (const [, fields] of entries) {
      const nonce = fields[fields.indexOf('n') + 1] ?? '';
      if (nonce.endsWith(':sim')) instances.add(nonce.slice(0, -4));
    }
    return { instances, last: entries.at(-1)?.[0] ?? after };
  }

  it('one instance ticks; when it is killed (-9) another takes over within the lease', async () => {
    const env = { DESK_REDIS_URL: cluster.redis.url, DESK_REDIS_PREFIX: cluster.prefix, DESK_SIM: '1', DESK_SIM_TPS: '40', DESK_SIM_LEASE_MS: String(LEASE_MS) };
    other = await spawnServer(await freePort(), env);
    // The spawned instance starts first and takes the lease.
    for (let i = 0; i < 100 && (await tickers('0-0')).instances.size === 0; i++) await sleep(50);
    const local = await cluster.instance({ sim: { enabled: true, ticksPerSecond: 40 } });
    let from = (await tickers('0-0')).last;
    await sleep(1500); // several lease rounds with both instances willing
    const both = await tickers(from);
    expect(both.instances.size).toBe(1);
    expect(both.instances.has(local.cluster!.instance)).toBe(false);
    expect(local.cluster!.status().simulating).toBe(false);

    other.kill('SIGKILL');
    const killedAt = Date.now();
    from = both.last;
    await eventually(() => local.cluster!.status().simulating, LEASE_MS * 4, 'the other instance takes the lease');
    const tookOverMs = Date.now() - killedAt;
    expect(tookOverMs).toBeLessThan(LEASE_MS * 4);
    await sleep(500);
    const after = await tickers(from);
    expect(after.instances.has(local.cluster!.instance)).toBe(true);
    const health = await (await fetch(`${local.url}/health`)).json();
    expect(health.cluster.simulating).toBe(true);
  }, 30_000);
});

describe.skipIf(!haveRedis)('cluster mode: the simulator is controlled for the whole cluster', () => {
  const cluster = useCluster({ prefix: 'simcontrol', app: { cluster: { simLeaseMs: 1000, heartbeatMs: 200 } } });
  const simTicks = async (after: string) => {
    const entries = await cluster.inspect().xrange(`${cluster.prefix}:commands`, `(${after}`, '+');
    return { count: entries.filter(([, f]) => (f[f.indexOf('n') + 1] ?? '').endsWith(':sim')).length, last: entries.at(-1)?.[0] ?? after };
  };

  it('stopping, retuning and starting it on an instance that does not tick acts on the one that does', async () => {
    const a = await cluster.instance({ sim: { enabled: true, ticksPerSecond: 40 } });
    const b = await cluster.instance({ sim: { enabled: false } });
    await eventually(() => b.sim.status.running, 3000, 'B takes on the running simulator');
    await eventually(() => a.cluster!.status().simulating, 3000, 'A ticks');
    const api = cluster.clientOf(b);

    await api.system.controlSimulator.mutate({ running: false });
    await eventually(() => !a.sim.status.running, 3000, 'A stops');
    const quiet = (await simTicks('0-0')).last;
    await sleep(600);
    expect((await simTicks(quiet)).count).toBe(0);

    await api.system.controlSimulator.mutate({ running: true, ticksPerSecond: 20 });
    await eventually(() => a.sim.status.running && a.sim.status.ticksPerSecond === 20, 3000, 'A takes on the new settings');
    await sleep(600);
    expect((await simTicks(quiet)).count).toBeGreaterThan(0);
    // Still exactly one instance ticks.
    expect([a, b].filter((app) => app.cluster!.status().simulating)).toHaveLength(1);
  }, 20_000);
});
