import { describe, expect, it } from 'vitest';
import { liveOf, livesIn, withLive, withoutLive, type Lives } from './lives';
import { OneOrMany } from './one-or-many';

const stream = (requestId: number | string) => ({ requestId });
type Stream = ReturnType<typeof stream>;

describe('a connection’s live subscriptions', () => {
  it('holds one desk stream in the field itself, and finds it only under its own id', () => {
    const a = stream(1);
    const lives = withLive<Stream>(null, 1, a);
    expect(lives).toBe(a);
    expect(liveOf(lives, 1)).toBe(a);
    expect(liveOf(lives, '1')).toBeUndefined();
    expect(livesIn(lives)).toEqual([a]);
    expect(withoutLive(lives, 2)).toBe(a);
    expect(withoutLive(lives, 1)).toBeNull();
  });

  it('makes a map for a second stream or a stock-style subscription, keeping order and ids', () => {
    const a = stream(1);
    const b = stream('x');
    const aborter = new AbortController();
    let lives: Lives<Stream> = withLive<Stream>(null, 1, a);
    lives = withLive(lives, 'x', b);
    expect(lives).toBeInstanceOf(OneOrMany);
    lives = withLive(lives, 7, aborter);
    expect([liveOf(lives, 1), liveOf(lives, 'x'), liveOf(lives, 7), liveOf(lives, 2)]).toEqual([a, b, aborter, undefined]);
    expect(livesIn(lives)).toEqual([a, b, aborter]);
    lives = withoutLive(lives, 'x');
    expect(livesIn(lives)).toEqual([a, aborter]);
    expect(withLive<Stream>(null, 3, aborter)).toBeInstanceOf(OneOrMany);
  });

  it('replaces the stream under the same id in place', () => {
    const a = stream(1);
    const again = stream(1);
    expect(withLive(withLive<Stream>(null, 1, a), 1, again)).toBe(again);
  });
});
