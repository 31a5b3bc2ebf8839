export interface AgentLivenessOptions {
  /** How long an agent may have no connection before it is marked offline. */
  graceMs: number;
  /** Whether some open connection (on any instance) claims the agent id now. */
  isClaimed: (agentId: string) => boolean;
  /** Records the agent as offline (through the command path). */
  markOffline: (agentId: string) => Promise<unknown>;
  onError?: (agentId: string, error: unknown) => void;
}

/**
 * Marks an agent offline by itself once the last connection claiming its id has been gone for the
 * grace period: a reconnect within it (a restart, a network blip) leaves the agent as it was.
 */
export function createAgentLiveness(options: AgentLivenessOptions) {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  let stopped = false;

  function expire(agentId: string): void {
    pending.delete(agentId);
    if (stopped || options.isClaimed(agentId)) return;
    options.markOffline(agentId).catch((error) => options.onError?.(agentId, error));
  }

  return {
    /** The last connection claiming `agentId` left: offline after the grace period, unless one comes back. */
    released(agentId: string): void {
      if (stopped || pending.has(agentId)) return;
      const timer = setTimeout(expire, options.graceMs, agentId);
      timer.unref();
      pending.set(agentId, timer);
    },
    /** A connection claims `agentId` (again). */
    claimed(agentId: string): void {
      const timer = pending.get(agentId);
      if (timer) clearTimeout(timer);
      pending.delete(agentId);
    },
    /** Agents waiting out their grace period. */
    get pending(): number {
      return pending.size;
    },
    /** Stops marking (the desk is shutting down: its own closing connections say nothing of the agents). */
    stop(): void {
      stopped = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
