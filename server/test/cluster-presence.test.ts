import { describe, expect, it } from 'vitest';
import { createDeskClient, type DeskClientOptions } from '../../shared/node';
import { useCluster } from './cluster-fixture';
import { eventually, sleep } from './harness';
import { haveRedis } from './redis-server';

const GRACE_MS = 1500;

describe.skipIf(!haveRedis)('cluster mode: presence over every instance', () => {
  const { instance, clientOf, defer } = useCluster({ prefix: 'presence', app: { statsIntervalMs: 100, cluster: { heartbeatMs: 200 }, agents: { offlineGraceMs: GRACE_MS } } });
  /** A client that is closed after the suite unless the test closes it first. */
  const connect = (url: string, extra: Partial<DeskClientOptions>) => {
    const client = createDeskClient({ url, ...extra });
    defer(() => client.close());
    return client;
  };
  const opened = (client: ReturnType<typeof createDeskClient>) =>
    new Promise<void>((resolve, reject) => {
      const sub = client.api.system.onHealth.subscribe({}, { onData: () => (sub.unsubscribe(), resolve()), onError: reject });
    });

  it('counts the connections of every instance on each, and marks an agent offline only when no instance holds it', async () => {
    const [a, b] = [await instance(), await instance()];
    const agent = connect(a.url, { kind: 'agent', agentId: 'roamer' });
    const dashboard = connect(b.url, { kind: 'dashboard' });
    await Promise.all([opened(agent), opened(dashboard)]);
    await agent.api.agents.setStatus.mutate({ id: 'roamer', status: 'active' });

    // Read on B: its own dashboard and A's agent, from A's reading in Redis.
    const onB = clientOf(b);
    await eventually(() => b.desk.topics.presence.refresh()?.counts.agent === 1, 5000, "A's agent counted on B");
    const seen = await onB.system.presence.query();
    expect(seen.instances).toBe(2);
    expect(seen.counts).toMatchObject({ dashboard: 1, agent: 1 });
    expect(seen.connections.find((c) => c.agentId === 'roamer')).toMatchObject({ kind: 'agent', instance: a.cluster!.instance, role: 'admin' });
    expect(new Set(seen.connections.map((c) => c.id)).size).toBe(seen.connections.length);

    // The agent moves from A to B within the grace period: neither instance marks it offline.
    agent.close();
    await sleep(300);
    const moved = connect(b.url, { kind: 'agent', agentId: 'roamer' });
    await opened(moved);
    await sleep(GRACE_MS * 2);
    expect(a.desk.topics.agents.get('roamer')?.status).toBe('active');
    await eventually(() => a.desk.topics.presence.refresh()?.connections.some((c) => c.agentId === 'roamer' && c.instance === b.cluster!.instance) ?? false, 5000, "B's agent counted on A");

    // Gone for good: offline on every instance, through the shared log.
    moved.close();
    await eventually(() => a.desk.topics.agents.get('roamer')?.status === 'offline' && b.desk.topics.agents.get('roamer')?.status === 'offline', 10_000, 'offline everywhere');
    await eventually(() => a.desk.topics.presence.refresh()?.counts.agent === 0, 5000, 'agent gone from A');
  });

  it("drops a stopped instance's connections from the others' count at once", async () => {
    const [c, d] = [await instance(), await instance()];
    const script = connect(d.url, {});
    await opened(script);
    await eventually(() => c.desk.topics.presence.refresh()?.connections.some((x) => x.instance === d.cluster!.instance) ?? false, 5000, "D's script counted on C");
    await d.stop();
    await eventually(() => !(c.desk.topics.presence.refresh()?.connections.some((x) => x.instance === d.cluster!.instance) ?? true), 3000, "D's connections gone from C");
  });
});
