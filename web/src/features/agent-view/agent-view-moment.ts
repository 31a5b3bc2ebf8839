import type { ReplayMode } from '../../lib/replay-mode';
import { asOfBound } from '../../lib/replay-mode';

/**
 * The moment the agent view asks `agents.view` as of at `now` (this page's clock): none while live;
 * the event id a held replay was picked by (exactly the moment its streams show); otherwise the
 * replay's time, whole milliseconds.
 */
export function agentViewMoment(mode: ReplayMode | null, now: number): string | number | undefined {
  if (!mode) return undefined;
  if (mode.speed === 0 && typeof mode.from === 'string') return mode.from;
  return Math.floor(asOfBound(mode, now)!);
}
