import type { Revocation, RevokeTokenInput } from '../../shared/schema/system';
import type { Hub } from '../hub/hub';
import type { StateTopic } from '../hub/state-topic';

/**
 * Revoked token ids and holder names, kept as desk state: journaled with the rest (a restart keeps
 * them) and, in a cluster, folded from the shared command log on every instance.
 */
export class Revocations {
  /** Runs after a revocation is committed, so this instance can close the token's connections. */
  onRevoke: ((id: string) => void) | null = null;

  constructor(
    private readonly hub: Hub,
    private readonly topic: StateTopic<Revocation>,
    private readonly now: () => number,
  ) {}

  /** True when `key` (a token id or a holder's name) has been revoked. */
  has(key: string): boolean {
    return this.topic.get(key) !== undefined;
  }

  list(): Revocation[] {
    return this.topic.values();
  }

  /** Revokes a token id or name; revoking one twice changes nothing (and closes again what is open). */
  revoke(input: RevokeTokenInput & { by: string }): number | null {
    const eventId = this.has(input.id)
      ? null
      : this.hub.commit((tx) => tx.upsert(this.topic, { id: input.id, reason: input.reason ?? null, by: input.by, revokedAt: this.now() }));
    this.onRevoke?.(input.id);
    return eventId;
  }
}
