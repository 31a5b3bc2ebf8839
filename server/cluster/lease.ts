import type { CommandLog } from './command-log';

export interface LeaseOptions {
  /** How long the lease lasts without renewal (measured by Redis). @default 5000 */
  ttlMs?: number;
  /** How often it is taken or renewed. @default ttlMs / 5 */
  renewMs?: number;
}

/**
 * A lease in Redis held by at most one instance at a time: taken while `wants()` says so, renewed
 * every `renewMs`, given back when not wanted or on `stop()`. The holder counts it lost a second
 * before it could expire in Redis (its own clock, from when it sent the renewal), so two instances
 * never both believe they hold it; when the holder dies, another takes it within `ttlMs`.
 */
export function createLease(log: CommandLog, name: string, owner: string, options: LeaseOptions = {}) {
  const ttlMs = options.ttlMs ?? 5000;
  const renewMs = options.renewMs ?? Math.max(50, ttlMs / 5);
  const margin = Math.min(1000, ttlMs / 2);
  let heldUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  let expiry: NodeJS.Timeout | null = null;
  let running = false;
  let onChange: (held: boolean) => void = () => undefined;
  let wasHeld = false;

  function update(): void {
    const held = heldUntil > performance.now();
    if (held !== wasHeld) {
      wasHeld = held;
      onChange(held);
    }
  }

  async function round(wants: () => boolean): Promise<void> {
    const sent = performance.now();
    try {
      if (wants()) {
        if (await log.lease(name, owner, ttlMs)) {
          heldUntil = sent + ttlMs - margin;
          if (expiry) clearTimeout(expiry);
          expiry = setTimeout(update, heldUntil - performance.now() + 1).unref();
        } else heldUntil = 0;
      } else if (heldUntil > 0) {
        heldUntil = 0;
        await log.releaseLease(name, owner);
      }
    } catch {
      // Redis did not answer: the lease runs out on its own (see `expiry`).
    }
    update();
    if (running) timer = setTimeout(() => void round(wants), renewMs).unref();
  }

  return {
    /** Whether this instance holds the lease now. */
    get held(): boolean {
      return heldUntil > performance.now();
    },
    /** Starts taking the lease while `wants()`; `changed` hears when this instance gains or loses it. */
    start(wants: () => boolean, changed: (held: boolean) => void = () => undefined): void {
      if (running) return;
      running = true;
      onChange = changed;
      void round(wants);
    },
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      if (expiry) clearTimeout(expiry);
      const held = heldUntil > performance.now();
      heldUntil = 0;
      update();
      if (held) await log.releaseLease(name, owner).catch(() => undefined);
    },
  };
}
