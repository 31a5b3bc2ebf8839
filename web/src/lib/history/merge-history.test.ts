import { describe, expect, it } from 'vitest';
import { appendHistory } from './merge-history';

const row = (id: number) => ({ id: `r${id}`, ts: id });
const keyOf = (r: { id: string }) => r.id;
const tsOf = (r: { ts: number }) => r.ts;
const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

describe('appendHistory', () => {
  it('puts the history older than the last live row below the live rows, each row once', () => {
    const live = [row(9), row(8), row(7)];
    // Read after the live rows: 10 arrived since (the feed counts it as new), 8 and 7 are on screen.
    const history = [row(10), row(9), row(8), row(7), row(6), row(5)];
    expect(ids(appendHistory(live, history, keyOf, tsOf))).toEqual(['r9', 'r8', 'r7', 'r6', 'r5']);
  });

  it('finds older rows by time when the last live row is not in the history', () => {
    const live = [row(9), row(7)];
    expect(ids(appendHistory(live, [row(10), row(8), row(6), row(5)], keyOf, tsOf))).toEqual(['r9', 'r7', 'r6', 'r5']);
  });

  it('shows the history alone when nothing is live, and the live rows alone without history', () => {
    expect(ids(appendHistory([], [row(2), row(1)], keyOf, tsOf))).toEqual(['r2', 'r1']);
    const live = [row(3)];
    expect(appendHistory(live, [], keyOf, tsOf)).toBe(live);
  });

  it('never repeats a row that pages of history repeat', () => {
    expect(ids(appendHistory([row(5)], [row(5), row(4), row(4), row(3)], keyOf, tsOf))).toEqual(['r5', 'r4', 'r3']);
  });
});
