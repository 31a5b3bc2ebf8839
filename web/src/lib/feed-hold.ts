/**
 * Whether a feed's list stands still. It is held while the user paused it or has scrolled away
 * from its top (the newest rows): new rows then arrive off screen and are counted instead of
 * pushing the rows being read down.
 */
export interface HoldState<T> {
  paused: boolean;
  /** Scrolled away from the top of the list. */
  away: boolean;
  /** The rows on screen while held; null while the list follows the feed. */
  held: readonly T[] | null;
}

export type HoldEvent<T> =
  | { type: 'pause'; rows: readonly T[] }
  | { type: 'resume' }
  | { type: 'scroll'; away: boolean; rows: readonly T[] }
  /** The "n new" button: show what arrived, from the top. */
  | { type: 'jump'; rows: readonly T[] }
  /** The feed's filter changed: what was held belongs to another selection. */
  | { type: 'reset' };

/** A list that follows its feed. */
export const following = <T>(): HoldState<T> => ({ paused: false, away: false, held: null });

/** The next hold state; `rows` are the feed's rows at the moment of the event, newest first. */
export function holdReducer<T>(state: HoldState<T>, event: HoldEvent<T>): HoldState<T> {
  switch (event.type) {
    case 'pause':
      return state.paused ? state : { ...state, paused: true, held: state.held ?? event.rows };
    case 'resume':
      return state.paused ? { ...state, paused: false, held: state.away ? state.held : null } : state;
    case 'scroll':
      if (event.away === state.away) return state;
      if (event.away) return { ...state, away: true, held: state.held ?? event.rows };
      return { ...state, away: false, held: state.paused ? state.held : null };
    case 'jump':
      return { ...state, away: false, held: state.paused ? event.rows : null };
    case 'reset':
      return state.held === null && !state.paused ? state : following<T>();
  }
}

/** What a feed shows: the held rows (or the live ones), and how many live rows are not on screen. */
export function holdView<T>(state: HoldState<T>, live: readonly T[], keyOf: (row: T) => string): { rows: readonly T[]; newCount: number } {
  if (state.held === null) return { rows: live, newCount: 0 };
  const shown = new Set(state.held.map(keyOf));
  let newCount = 0;
  for (const row of live) if (!shown.has(keyOf(row))) newCount++;
  return { rows: state.held, newCount };
}

/** A scroll position this close to the top (px) still counts as at the top, so a nudge does not hold the feed. */
export const TOP_SLACK_PX = 8;

/** Whether a list scrolled to `scrollTop` is away from its top. */
export const isAwayFromTop = (scrollTop: number): boolean => scrollTop > TOP_SLACK_PX;
