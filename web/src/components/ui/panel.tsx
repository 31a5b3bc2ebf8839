import { useId, type ReactNode } from 'react';
import { formatClock } from '../../lib/format';
import { useLinkLive } from '../../lib/use-link-live';
import { useReplayTime } from '../../lib/use-replay-time';

interface PanelProps {
  title: string;
  testId: string;
  /** Extra controls at the right of the title bar. */
  actions?: ReactNode;
  className?: string;
  /**
   * For a panel of live data: when what it shows last changed (null: nothing arrived yet). While the
   * desk is not live, such a panel is marked stale with that time.
   */
  updatedAt?: number | null;
  children: ReactNode;
}

/** A titled dashboard panel; a live one says it is stale, and since when, while the desk is not live. */
export function Panel({ title, testId, actions, className, updatedAt, children }: PanelProps) {
  const linkLive = useLinkLive();
  const replayAt = useReplayTime();
  const stale = updatedAt !== undefined && !linkLive;
  const headingId = useId();
  return (
    <section
      className={`panel ${stale ? 'panel-stale' : ''} ${replayAt !== null ? 'panel-replay' : ''} ${className ?? ''}`}
      id={testId}
      // Focusable from script only: where focus goes when what had it inside the panel disappears.
      tabIndex={-1}
      data-testid={testId}
      data-stale={updatedAt === undefined ? undefined : String(stale)}
      aria-labelledby={headingId}
    >
      <header className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {stale ? (
          <span className="stale-mark" data-testid={`${testId}-stale`} title="The desk is not live: this is the last state received, not the current one.">
            stale · {updatedAt === null ? 'nothing received' : `last update ${formatClock(updatedAt)}`}
          </span>
        ) : null}
        {replayAt !== null ? (
          <span className="replay-mark" data-testid={`${testId}-replay`} title="The desk's past, replayed: not the current state.">
            replay at {formatClock(replayAt)}
          </span>
        ) : null}
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      {/* The body scrolls when its rows outgrow the panel: a tab stop of its own lets a keyboard scroll it. */}
      <div className="panel-body" tabIndex={0} role="group" aria-labelledby={headingId} data-testid={`${testId}-body`}>
        {children}
      </div>
    </section>
  );
}

interface StateProps {
  /** The subscription's error, if it failed. */
  error: string | null;
  /** False until the first snapshot. */
  ready: boolean;
  /** True when there is nothing to show. */
  empty: boolean;
  emptyText: string;
  testId: string;
  children: ReactNode;
}

/** Shows an error, a loading line or an empty line instead of `children` when there is nothing to show. */
export function StreamState({ error, ready, empty, emptyText, testId, children }: StateProps) {
  if (error)
    return (
      <p className="state state-error" role="alert" data-testid={`${testId}-error`}>
        {error}
      </p>
    );
  if (!ready)
    return (
      <p className="state" data-testid={`${testId}-loading`}>
        Waiting for data…
      </p>
    );
  if (empty)
    return (
      <p className="state" data-testid={`${testId}-empty`}>
        {emptyText}
      </p>
    );
  return <>{children}</>;
}
