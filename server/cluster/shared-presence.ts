import type { DeskPresence } from '../presence/presence';
import type { InstancePresence } from '../presence/registry';
import type { Cluster } from './cluster';

const keyOf = (instance: string) => `presence:${instance}`;

/** A reading another instance wrote, if it has the shape of one (Redis holds whatever was put there). */
function asReading(value: unknown): InstancePresence | null {
  const r = value as InstancePresence | null;
  return r && typeof r === 'object' && typeof r.instance === 'string' && Array.isArray(r.connections) && Array.isArray(r.agentIds) && typeof r.counts === 'object' ? r : null;
}

/**
 * Presence over the cluster: with every heartbeat this instance writes its connections to Redis
 * (expiring unless written again) and reads every other live instance's, so each instance's
 * `system.presence` counts them all, and an agent connected to another instance is not marked
 * offline here.
 */
export function sharePresence(cluster: Cluster, presence: DeskPresence) {
  cluster.onBeat(async () => {
    await cluster.expiring.write(keyOf(cluster.instance), presence.local());
    const others = (cluster.peers() ?? []).map((peer) => peer.instance).filter((id) => id !== cluster.instance);
    const readings = (await cluster.expiring.read(others.map(keyOf))).map(asReading).filter((r) => r !== null);
    presence.setRemote(readings);
  });
  return {
    /** Takes this instance's connections out at once (it is stopping). */
    stop: () => cluster.expiring.remove(keyOf(cluster.instance)).catch(() => undefined),
  };
}
