import type { ReactNode } from 'react';

interface PanelProps {
  title: string;
  testId: string;
  /** Extra controls at the right of the title bar. */
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** A titled dashboard panel. */
export function Panel({ title, testId, actions, className, children }: PanelProps) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId} aria-label={title}>
      <header className="panel-head">
        <h2>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
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
