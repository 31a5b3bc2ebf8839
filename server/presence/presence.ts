import type { Presence } from '../../shared/schema/presence';
import { createAgentLiveness } from '../agents/liveness';
import type { DerivedTopic } from '../hub/derived-topic';
import type { CommandExecutor } from '../store/commands';
import type { Desk } from '../store/desk';
import { mergePresence } from './merge';
import { PresenceRegistry, type InstancePresence } from './registry';

export interface PresenceOptions {
  /** Cluster mode: this instance's id. */
  instance: string | null;
  /** How long an agent may have no connection before it is marked offline. */
  offlineGraceMs: number;
  /** How soon after a join or leave the presence topic is published again. @default 50 */
  publishDelayMs?: number;
  onError?: (agentId: string, error: unknown) => void;
  /**
   * The WebSockets' closes are told (`registry.left`) by whoever listens to them already, instead
   * of a listener of the registry's own on every socket. @default false
   */
  socketClosesTold?: boolean;
}

/**
 * The desk's presence: this instance's connections (the registry), the presence topic over them
 * and other instances' readings (`setRemote`, cluster mode), and marking an agent offline once no
 * connection anywhere has claimed it for the grace period.
 */
export function createPresence(desk: Desk, commands: CommandExecutor, options: PresenceOptions) {
  const topic: DerivedTopic<Presence> = desk.topics.presence;
  let remote: InstancePresence[] = [];
  let publishTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const liveness = createAgentLiveness({
    graceMs: options.offlineGraceMs,
    isClaimed: (agentId) => registry.isClaimed(agentId) || remote.some((r) => r.agentIds.includes(agentId)),
    markOffline: async (agentId) => {
      const agent = desk.topics.agents.get(agentId);
      if (agent && agent.status !== 'offline') await commands.execute('agents.setStatus', { id: agentId, status: 'offline' });
    },
    onError: options.onError,
  });

  // Joins and leaves come in bursts (a reconnecting fleet): one reading per burst.
  function changed(): void {
    if (stopped || publishTimer) return;
    publishTimer = setTimeout(() => {
      publishTimer = null;
      topic.refresh();
    }, options.publishDelayMs ?? 50);
    publishTimer.unref();
  }

  const registry = new PresenceRegistry({
    instance: options.instance,
    socketClosesTold: options.socketClosesTold,
    onChange: changed,
    onClaimed: (agentId) => liveness.claimed(agentId),
    onReleased: (agentId) => liveness.released(agentId),
  });
  topic.read = () => mergePresence([registry.reading(), ...remote]);

  return {
    registry,
    /** This instance's reading, for the other instances. */
    local: () => registry.reading(),
    /** The other instances' latest readings (cluster mode); agents they no longer hold start their grace. */
    setRemote(readings: InstancePresence[]): void {
      const before = new Set(remote.flatMap((r) => r.agentIds));
      remote = readings.filter((r) => r.instance !== options.instance);
      const now = new Set(remote.flatMap((r) => r.agentIds));
      for (const agentId of before) if (!now.has(agentId) && !registry.isClaimed(agentId)) liveness.released(agentId);
      for (const agentId of now) liveness.claimed(agentId);
      topic.refresh();
    },
    stop(): void {
      stopped = true;
      liveness.stop();
      if (publishTimer) clearTimeout(publishTimer);
      publishTimer = null;
    },
  };
}
export type DeskPresence = ReturnType<typeof createPresence>;
