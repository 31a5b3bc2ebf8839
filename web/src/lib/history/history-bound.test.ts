import { describe, expect, it } from 'vitest';
import { historyBound } from './history-bound';

describe('the bound of a history page', () => {
  it('has none while live, and takes in the items stamped at the replayed moment but none after it', () => {
    expect(historyBound(undefined)).toEqual({});
    const { to } = historyBound(5_000);
    expect(to).toBe(5_001);
    // `to` is exclusive on the server: an item at 5,000 is in, one at 5,001 is not.
    expect(5_000 < to!).toBe(true);
    expect(5_001 < to!).toBe(false);
  });

  it('is by event id when the replay holds at a picked one: that commit in, none after it, whatever their times', () => {
    expect(historyBound(5_000, '1796146063309053')).toEqual({ before: '1796146063309054' });
    expect(historyBound(undefined, '1796146063309053')).toEqual({});
  });
});
