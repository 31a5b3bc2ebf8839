import { describe, expect, it } from 'vitest';
import { asOfBound, asOfEventId, caughtUp, replayInput, replayTime, startReplay } from './replay-mode';

describe('the replay clock', () => {
  it('runs speed times real time from the moment, and catches up with now only when playing faster than 1x', () => {
    const now = 1_000_000;
    const fast = startReplay(now - 9_000, 10, now);
    expect(replayTime(fast, now)).toBe(now - 9_000);
    expect(replayTime(fast, now + 500)).toBe(now - 4_000);
    expect(caughtUp(fast, now + 900)).toBe(false);
    expect(caughtUp(fast, now + 1_000)).toBe(true);
    const paused = startReplay(now - 9_000, 0, now);
    expect(replayTime(paused, now + 60_000)).toBe(now - 9_000);
    expect(caughtUp(paused, now + 60_000)).toBe(false);
    expect(caughtUp(startReplay(now - 1, 1, now), now + 3_600_000)).toBe(false);
  });

  it('asks the streams for an event id when one was picked, the time otherwise', () => {
    expect(replayInput(startReplay(5_000, 100, 9_000, '123456'))).toEqual({ from: '123456', speed: 100 });
    expect(replayInput(startReplay(5_000, 0, 9_000))).toEqual({ from: 5_000, speed: 0 });
  });
});

describe('the bound of a query while replaying', () => {
  it('is the replay time, moving with a playing replay, held by a paused one, never after now, and none while live', () => {
    const now = 1_000_000;
    expect(asOfBound(null, now)).toBeUndefined();
    const paused = startReplay(now - 9_000, 0, now);
    expect(asOfBound(paused, now + 5_000)).toBe(now - 9_000);
    const fast = startReplay(now - 9_000, 10, now);
    expect(asOfBound(fast, now + 500)).toBe(now - 4_000);
    expect(asOfBound(fast, now + 2_000)).toBe(now + 2_000);
  });
});

describe('the event id a replay holds at', () => {
  it('is the picked id while held there, and none once it plays or was picked by time', () => {
    expect(asOfEventId(startReplay(5_000, 0, 9_000, '123456'))).toBe('123456');
    expect(asOfEventId(startReplay(5_000, 10, 9_000, '123456'))).toBeUndefined();
    expect(asOfEventId(startReplay(5_000, 0, 9_000))).toBeUndefined();
    expect(asOfEventId(null)).toBeUndefined();
  });
});
