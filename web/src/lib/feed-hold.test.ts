import { describe, expect, it } from 'vitest';
import { following, holdReducer, holdView, isAwayFromTop, type HoldEvent, type HoldState } from './feed-hold';

type Row = { id: string };
const rows = (...ids: string[]): Row[] => ids.map((id) => ({ id }));
const keyOf = (r: Row) => r.id;
const run = (events: HoldEvent<Row>[], start: HoldState<Row> = following<Row>()) => events.reduce(holdReducer<Row>, start);

describe('holdReducer and holdView', () => {
  it('follows the feed until something holds it', () => {
    const state = following<Row>();
    expect(holdView(state, rows('b', 'a'), keyOf)).toEqual({ rows: rows('b', 'a'), newCount: 0 });
  });

  it('keeps the rows on screen while paused and counts the ones that arrive', () => {
    const state = run([{ type: 'pause', rows: rows('b', 'a') }]);
    expect(holdView(state, rows('d', 'c', 'b', 'a'), keyOf)).toEqual({ rows: rows('b', 'a'), newCount: 2 });
    // rows the feed has since dropped (its history cap) stay on screen and are not counted
    expect(holdView(state, rows('e', 'd', 'c', 'b'), keyOf)).toEqual({ rows: rows('b', 'a'), newCount: 3 });
  });

  it('follows again on resume', () => {
    const state = run([{ type: 'pause', rows: rows('a') }, { type: 'resume' }]);
    expect(state).toEqual(following());
    expect(holdView(state, rows('b', 'a'), keyOf).newCount).toBe(0);
  });

  it('holds while scrolled away from the top and follows again back at the top', () => {
    const away = run([{ type: 'scroll', away: true, rows: rows('b', 'a') }]);
    expect(holdView(away, rows('c', 'b', 'a'), keyOf)).toEqual({ rows: rows('b', 'a'), newCount: 1 });
    expect(holdReducer(away, { type: 'scroll', away: false, rows: rows('c', 'b', 'a') }).held).toBeNull();
  });

  it('stays held when resumed while scrolled away, and when scrolled back to the top while paused', () => {
    const awayThenResumed = run([{ type: 'scroll', away: true, rows: rows('a') }, { type: 'pause', rows: rows('b', 'a') }, { type: 'resume' }]);
    expect(awayThenResumed.held).toEqual(rows('a'));
    const pausedThenTop = run([{ type: 'pause', rows: rows('a') }, { type: 'scroll', away: true, rows: rows('b', 'a') }, { type: 'scroll', away: false, rows: rows('b', 'a') }]);
    expect(pausedThenTop.held).toEqual(rows('a'));
  });

  it('"n new" shows what arrived: following again, or still paused with the newer rows on screen', () => {
    const away = run([{ type: 'scroll', away: true, rows: rows('a') }, { type: 'jump', rows: rows('c', 'b', 'a') }]);
    expect(away).toEqual(following());
    const paused = run([{ type: 'pause', rows: rows('a') }, { type: 'jump', rows: rows('c', 'b', 'a') }]);
    expect(paused).toEqual({ paused: true, away: false, held: rows('c', 'b', 'a') });
    expect(holdView(paused, rows('c', 'b', 'a'), keyOf).newCount).toBe(0);
  });

  it('lets go of what it held when the filter changes', () => {
    expect(run([{ type: 'pause', rows: rows('a') }, { type: 'reset' }])).toEqual(following());
  });

  it('returns the same state for an event that changes nothing, so React skips the render', () => {
    const state = following<Row>();
    expect(holdReducer(state, { type: 'resume' })).toBe(state);
    expect(holdReducer(state, { type: 'scroll', away: false, rows: rows('a') })).toBe(state);
    expect(holdReducer(state, { type: 'reset' })).toBe(state);
  });
});

describe('isAwayFromTop', () => {
  it('treats a few pixels from the top as the top', () => {
    expect(isAwayFromTop(0)).toBe(false);
    expect(isAwayFromTop(8)).toBe(false);
    expect(isAwayFromTop(40)).toBe(true);
  });
});
