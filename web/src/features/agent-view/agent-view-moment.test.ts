import { describe, expect, it } from 'vitest';
import { startReplay } from '../../lib/replay-mode';
import { agentViewMoment } from './agent-view-moment';

describe('agentViewMoment', () => {
  it('asks for now while live', () => {
    expect(agentViewMoment(null, 5_000)).toBeUndefined();
  });

  it('asks by the event id a held replay was picked by, and by its time when picked by a time', () => {
    expect(agentViewMoment(startReplay(1_000, 0, 2_000, '123'), 9_000)).toBe('123');
    expect(agentViewMoment(startReplay(1_000, 0, 2_000), 9_000)).toBe(1_000);
  });

  it('moves with a playing replay, never past now', () => {
    const mode = startReplay(1_000, 10, 100_000, '123');
    expect(agentViewMoment(mode, 100_500.75)).toBe(6_007);
    expect(agentViewMoment(mode, 200_000)).toBe(200_000);
  });
});
