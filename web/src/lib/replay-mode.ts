import type { ReplaySpeed } from '../../../shared/schema/replay';

/** The dashboard replaying the desk's past: from which moment, how fast, since when on this page. */
export interface ReplayMode {
  /** The moment the replay started from, ms since the epoch (the desk's time). */
  fromTs: number;
  /** What the streams were asked for: an event id, or `fromTs`. */
  from: string | number;
  /** 0: held at `fromTs`. */
  speed: ReplaySpeed;
  /** When the replay started, this page's clock. */
  startedAt: number;
}

/** The desk's time the replay shows at `now` (this page's clock): it runs `speed` times real time. */
export function replayTime(mode: ReplayMode, now: number): number {
  return mode.fromTs + (now - mode.startedAt) * mode.speed;
}

/** True once a playing replay has reached now: its streams are live again (the desk resumed them). */
export function caughtUp(mode: ReplayMode, now: number): boolean {
  return mode.speed > 0 && replayTime(mode, now) >= now;
}

/** A replay from `moment` at `speed`, starting now. */
export function startReplay(fromTs: number, speed: ReplaySpeed, now: number, from: string | number = fromTs): ReplayMode {
  return { fromTs, from, speed, startedAt: now };
}

/** The input every subscription carries while replaying. */
export function replayInput(mode: ReplayMode): { from: string | number; speed: ReplaySpeed } {
  return { from: mode.from, speed: mode.speed };
}

/**
 * The newest moment a query of the past may show at `now` (this page's clock): the replay's time,
 * never after now; undefined while live (the query's own newest). A query bounded by it, then
 * extended by its replayed stream, shows the desk as of the replay and moves on with it.
 */
export function asOfBound(mode: ReplayMode | null, now: number): number | undefined {
  return mode ? Math.min(replayTime(mode, now), now) : undefined;
}

/**
 * The event id the desk is shown as of, when the replay was picked by one and holds there (speed
 * 0): a query of the past bounded by it ends at that commit exactly, where a time would take in
 * the later commits of the same millisecond. Undefined otherwise (the moment is a time).
 */
export function asOfEventId(mode: ReplayMode | null): string | undefined {
  return mode && mode.speed === 0 && typeof mode.from === 'string' ? mode.from : undefined;
}
