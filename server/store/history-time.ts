/**
 * How far an item's `ts` may lie from the time its commit was recorded, and recorded times from
 * being in id order, for a time range to be found through the journal's time index. A commit run as
 * a command is recorded at the command's time, the time the desk stamps its items with (0 apart);
 * outside a command both are read from one clock within one synchronous commit (well under a
 * millisecond); instances of a cluster stamp commands with their own clocks, apart by their skew.
 * What it costs: a page looks at this much more of the journal than the range holds.
 */
export const HISTORY_TIME_SLACK_MS = 100;

/** The journal's time index: commits by the time they were recorded. */
export interface TimeIndex {
  /** The newest commit recorded before `ts`, null when none is retained. */
  lastBefore(ts: number): number | null;
  /** The oldest commit recorded at or after `ts`, null when none is yet. */
  firstFrom(ts: number): number | null;
}

/**
 * The event ids an item time range `[from, to)` lies strictly between, from two seeks of the time
 * index: commits recorded before `from - slack` hold no item at or after `from`, commits recorded
 * at or after `to + slack` none before `to`. Undefined where a bound is not given or nothing lies
 * beyond it. Scanning only between them, a page reaches a range far back in one call.
 */
export function idRangeOfTimes(index: TimeIndex, from: number | undefined, to: number | undefined, slack: number): { after?: number; before?: number } {
  const after = from === undefined ? null : index.lastBefore(from - slack);
  const before = to === undefined ? null : index.firstFrom(to + slack);
  return { ...(after === null ? {} : { after }), ...(before === null ? {} : { before }) };
}
