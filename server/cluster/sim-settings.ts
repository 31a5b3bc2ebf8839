import type { SimulatorState } from '../../shared/schema/system';
import type { Simulator } from '../sim/simulator';

export interface SharedSetting {
  read(): Promise<{ version: number; value: unknown } | null>;
  write(value: unknown): Promise<number>;
}

/**
 * The simulator's settings (running, rate, symbols, seed) as one setting of the whole cluster:
 * `system.controlSimulator` on any instance writes them, every instance takes them on within a
 * heartbeat, and the holder of the simulator's lease ticks by them. The first instance to start
 * with the simulator on writes its own; later ones take on what is stored.
 */
export function shareSimulatorSettings(setting: SharedSetting, sim: Simulator) {
  let version = 0;
  // While a change made here is being written, an older stored one must not undo it.
  let writing = 0;
  return {
    /** At start: takes on the stored settings, or stores this instance's when it simulates and none are. */
    async start(enabled: boolean): Promise<void> {
      const stored = await setting.read();
      if (stored) {
        version = stored.version;
        sim.adopt(stored.value as SimulatorState);
      } else if (enabled) {
        sim.start();
        version = await setting.write(sim.status);
      }
    },
    /** Takes on settings another instance wrote since. */
    async poll(): Promise<void> {
      if (writing > 0) return;
      const stored = await setting.read();
      if (writing === 0 && stored && stored.version > version) {
        version = stored.version;
        sim.adopt(stored.value as SimulatorState);
      }
    },
    /** Shares a change made here; when Redis is away it stays local until the next change. */
    publish(state: SimulatorState): void {
      writing++;
      setting
        .write(state)
        .then(
          (v) => (version = Math.max(version, v)),
          () => undefined,
        )
        .finally(() => writing--);
    },
  };
}
export type SharedSimulator = ReturnType<typeof shareSimulatorSettings>;
