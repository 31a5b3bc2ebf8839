import type { CommandLog } from './command-log';

/**
 * Mutations this instance answered "unknown" (their append's reply or their result did not come
 * back in time), kept until it learns their fate: the command shows up in the fold (applied), or
 * Redis says it never reached the log (abandoned, see `CommandLog.settle`). Past `maxAgeMs` (the
 * markers' lifetime) Redis can no longer say, and the entry is dropped as expired.
 */
export function createInDoubt<O>(log: CommandLog, waiting: Map<string, (outcome: O) => void>, maxAgeMs: number) {
  const entries = new Map<string, { since: number; logged: boolean }>();
  const resolved = { applied: 0, abandoned: 0, expired: 0 };
  return {
    resolved,
    get size() {
      return entries.size;
    },
    /** Tracks a mutation its caller got no answer for; `logged`: known to be in the log. */
    add(nonce: string, logged: boolean): void {
      if (!waiting.has(nonce)) return; // folded in the meantime
      entries.set(nonce, { since: Date.now(), logged });
      waiting.set(nonce, () => {
        entries.delete(nonce);
        resolved.applied++;
      });
    },
    /** Asks Redis about every entry not known to be logged; throws when Redis does not answer. */
    async settleAll(): Promise<void> {
      for (const [nonce, entry] of entries) {
        if (Date.now() - entry.since > maxAgeMs) {
          entries.delete(nonce);
          waiting.delete(nonce);
          resolved.expired++;
        } else if (!entry.logged) {
          if ((await log.settle(nonce)) === 'logged') entry.logged = true;
          else if (entries.delete(nonce)) {
            waiting.delete(nonce);
            resolved.abandoned++;
          }
        }
      }
    },
  };
}
