import type { HistoryFeed } from '../../lib/history/use-history-feed';

interface HistoryFooterProps {
  /** Names the footer in test ids: `<id>-history`, `<id>-older`. */
  id: string;
  /** What the feed is called, for the button's name. */
  label: string;
  feed: HistoryFeed<unknown>;
}

/** Under a feed's list: reads older rows from history when scrolled into view, or on "Load older". */
export function HistoryFooter({ id, label, feed }: HistoryFooterProps) {
  let status: string | null = null;
  if (feed.error) status = `Could not load older ${label}: ${feed.error}`;
  else if (feed.loading) status = `Loading older ${label}…`;
  else if (feed.exhausted) status = feed.older > 0 ? `All retained ${label} shown (${feed.older} older).` : `No older ${label} retained.`;
  return (
    <div className="history-footer" ref={feed.sentinelRef} data-testid={`${id}-history`} data-older={feed.older} data-exhausted={feed.exhausted}>
      <span className="muted" role="status">
        {status}
      </span>
      {feed.exhausted || feed.loading ? null : (
        <button type="button" className="btn btn-ghost btn-sm" onClick={feed.loadOlder} data-testid={`${id}-older`}>
          Load older {label}
        </button>
      )}
    </div>
  );
}
