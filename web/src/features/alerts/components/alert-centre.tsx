import { useMemo, useRef } from 'react';
import { formatClock, formatPrice } from '../../../lib/format';
import { useLinkLive } from '../../../lib/use-link-live';
import { countAlerts, titleWithAlerts } from '../alert-summary';
import { useActiveAlerts } from '../hooks/use-active-alerts';
import { useAlertSignals } from '../hooks/use-alert-signals';
import { useAlertToasts } from '../hooks/use-alert-toasts';
import { useDocumentTitle } from '../hooks/use-document-title';

const SEVERITIES = ['critical', 'warning', 'info'] as const;

/**
 * The header's alert count by severity (a link to the Alerts panel), the count in the tab title,
 * a toast for every critical alert that arrives, and the switches for a browser notification and a
 * beep as well (off until the user turns them on).
 */
export function AlertCentre() {
  const alerts = useActiveAlerts();
  const counts = useMemo(() => countAlerts(alerts ?? []), [alerts]);
  const live = useLinkLive();
  useDocumentTitle(titleWithAlerts('livedesk', counts));
  const signals = useAlertSignals();
  const { toasts, close } = useAlertToasts(alerts, signals.signal);
  const linkRef = useRef<HTMLAnchorElement>(null);

  function closeToast(index: number, id: string) {
    // Focus moves to the next toast's close button, or back to the count, never to <body>.
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('[data-testid="alert-toast-close"]')];
    const next = buttons[index + 1] ?? buttons[index - 1];
    close(id);
    (next ?? linkRef.current)?.focus();
  }

  const shown = SEVERITIES.filter((s) => counts[s] > 0);
  // The link's name is its visible text plus words only a screen reader hears ("1 critical, 2
  // warning"), so what a speech-input user reads on screen is also what names the link.
  return (
    <>
      <a
        ref={linkRef}
        href="#panel-alerts"
        className={`alert-centre ${counts.critical > 0 ? 'alert-centre-critical' : ''} ${live ? '' : 'stale'}`}
        data-testid="alert-centre"
        data-total={counts.total}
      >
        <span className="alert-centre-label">Alerts</span>
        {counts.total === 0 ? (
          <span className="alert-count alert-count-none">
            0<span className="sr-only"> active</span>
          </span>
        ) : (
          shown.map((s, i) => (
            <span key={s} className={`alert-count alert-count-${s}`} title={`${counts[s]} ${s}`}>
              <span data-testid={`alert-count-${s}`}>{counts[s]}</span>
              <span className="sr-only">
                {' '}
                {s}
                {i < shown.length - 1 ? ', ' : ''}
              </span>
            </span>
          ))
        )}
        {live ? null : <span className="sr-only"> (as last received)</span>}
      </a>
      <div className="alert-signals" role="group" aria-label="Signals for critical alerts">
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-pressed={signals.notifying}
          onClick={() => void signals.setNotify(!signals.notifying)}
          title="Browser notifications for critical alerts, also while this tab is in the background"
          data-testid="alert-notify-toggle"
        >
          Notify
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-pressed={signals.sound}
          onClick={() => signals.setSound(!signals.sound)}
          title="A short beep for critical alerts"
          data-testid="alert-sound-toggle"
        >
          Sound
        </button>
      </div>
      <section className="toasts" aria-label="Critical alerts" data-testid="alert-toasts">
        {signals.problem ? (
          <div className="toast toast-note" role="status" data-testid="alert-signals-problem">
            <div className="toast-body">{signals.problem}</div>
            <button type="button" className="btn btn-ghost btn-sm" onClick={signals.dismissProblem} aria-label="Close this note">
              ✕
            </button>
          </div>
        ) : null}
        {toasts.map((t, index) => (
          <div key={t.id} className="toast toast-critical" role="alert" data-testid="alert-toast" data-id={t.id}>
            <div className="toast-body">
              <strong>
                Critical · {t.symbol} {formatPrice(t.price)}
              </strong>
              <span>{t.message}</span>
              <span className="muted">{formatClock(t.ts)}</span>
            </div>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => closeToast(index, t.id)} aria-label={`Close: ${t.message}`} data-testid="alert-toast-close">
              ✕
            </button>
          </div>
        ))}
      </section>
    </>
  );
}
