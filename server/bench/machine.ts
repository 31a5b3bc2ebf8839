import { readFileSync } from 'node:fs';

/** Busy and total CPU time of the whole machine so far, in clock ticks (Linux; zeros elsewhere). */
export function machineCpu(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.reduce((s, v) => s + v, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

const TICK_US = 10_000; // USER_HZ is 100 on Linux

/**
 * Measures how much CPU the rest of the machine used while the bench ran: machine busy time minus
 * what the bench's own processes reported. Other work on the box makes every figure noisier.
 */
export function foreignCpu() {
  const start = machineCpu();
  const startedAt = performance.now();
  return {
    /** Percent of one CPU that others used, given the bench's own CPU µs over the same span. */
    stop(ownCpuUs: number): number {
      const end = machineCpu();
      const wallUs = (performance.now() - startedAt) * 1000;
      if (end.total === start.total || wallUs <= 0) return Number.NaN;
      const busyUs = (end.busy - start.busy) * TICK_US;
      return Math.max(0, ((busyUs - ownCpuUs) / wallUs) * 100);
    },
  };
}
