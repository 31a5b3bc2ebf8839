import type { FeedHold } from '../../lib/use-feed-hold';

interface FeedControlProps {
  /** Names the controls in test ids: `<id>-pause`, `<id>-new`. */
  id: string;
  /** What the feed is called, for the buttons' names. */
  label: string;
  hold: FeedHold<unknown>;
}

/** Pause / Resume for a feed's title bar. */
export function FeedPauseButton({ id, label, hold }: FeedControlProps) {
  return (
    <button
      type="button"
      className={`btn btn-ghost btn-sm feed-pause ${hold.paused ? 'feed-paused' : ''}`}
      aria-pressed={hold.paused}
      aria-label={hold.paused ? `Resume ${label}` : `Pause ${label}`}
      onClick={hold.paused ? hold.resume : hold.pause}
      data-testid={`${id}-pause`}
    >
      {hold.paused ? 'Resume' : 'Pause'}
    </button>
  );
}

/** Above a held list: how many rows arrived since, and a way to them. */
export function NewRowsButton({ id, label, hold }: FeedControlProps) {
  if (hold.newCount === 0) return null;
  return (
    <button type="button" className="btn btn-sm feed-new" onClick={hold.jump} aria-label={`Show ${hold.newCount} new ${label}`} data-testid={`${id}-new`} data-count={hold.newCount}>
      {hold.newCount} new
    </button>
  );
}
