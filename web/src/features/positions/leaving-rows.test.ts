import { describe, expect, it } from 'vitest';
import { updateLeaving } from './leaving-rows';

const keyOf = (r: { id: string }) => r.id;

describe('updateLeaving', () => {
  it('keeps a removed row until its time is up', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    let leaving = updateLeaving(new Map(), [a, b], [b], keyOf, 1000, 500);
    expect([...leaving.keys()]).toEqual(['a']);
    expect(leaving.get('a')).toEqual({ item: a, until: 1500 });
    leaving = updateLeaving(leaving, [b], [b], keyOf, 1400, 500);
    expect(leaving.size).toBe(1);
    leaving = updateLeaving(leaving, [b], [b], keyOf, 1501, 500);
    expect(leaving.size).toBe(0);
  });

  it('forgets a row that comes back', () => {
    const a = { id: 'a' };
    const leaving = updateLeaving(new Map(), [a], [], keyOf, 0, 500);
    expect(updateLeaving(leaving, [], [a], keyOf, 10, 500).size).toBe(0);
  });
});
