import { memo, useEffect, useRef, useState } from 'react';
import type { Alert, AlertRule } from '../../../../../shared/index';
import { Badge } from '../../../components/ui/bars';
import { Panel, StreamState } from '../../../components/ui/panel';
import { historyLimits } from '../../../lib/config';
import { failureMessage, OFFLINE_MESSAGE } from '../../../lib/form-errors';
import { formatClock, formatPrice } from '../../../lib/format';
import { useLinkLive } from '../../../lib/use-link-live';
import { newestUpdate } from '../../../lib/use-live-view';
import { useCan } from '../../../lib/use-can';
import { useAlertActions } from '../hooks/use-alert-actions';
import { useLiveAlertRules } from '../hooks/use-live-alert-rules';
import { useLiveAlerts } from '../hooks/use-live-alerts';
import { RuleForm } from './lazy-rule-form';

/** Active alerts by severity, dismiss / clear, and the rules that raise them. */
export function AlertsPanel() {
  const alerts = useLiveAlerts();
  const rules = useLiveAlertRules();
  const actions = useAlertActions();
  const canAct = useCan('operator');
  const live = useLinkLive();
  const [triedOffline, setTriedOffline] = useState(false);
  const [showRules, setShowRules] = useState(false);
  const rows = [...(alerts.data ?? [])].sort((a, b) => b.ts - a.ts).slice(0, historyLimits.alerts);
  const listRef = useRef<HTMLUListElement>(null);
  /** The alert just dismissed from its row's button, and where that row was. */
  const dismissing = useRef<{ id: string; index: number } | null>(null);

  /**
   * Runs `act` while the desk is live; otherwise sends nothing and says so, rather than waiting out
   * the retries for a browser error ("Failed to fetch").
   */
  function whenLive(act: () => void) {
    setTriedOffline(!live);
    if (live) act();
  }

  function dismiss(id: string, index: number) {
    whenLive(() => {
      dismissing.current = { id, index };
      actions.dismiss.mutate({ id }, { onError: () => void (dismissing.current = null) });
    });
  }
  const actionError = actions.dismiss.error ?? actions.clear.error ?? actions.deleteRule.error;

  // Once the dismissed row is gone, focus goes to the dismiss button now in its place (or the one
  // above), or to the panel when none is left: not to <body>, where a keyboard user starts over.
  useEffect(() => {
    const pending = dismissing.current;
    if (!pending || rows.some((r) => r.id === pending.id)) return;
    dismissing.current = null;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('[data-testid="alert-dismiss"]');
    const next = buttons && buttons.length > 0 ? buttons[Math.min(pending.index, buttons.length - 1)] : undefined;
    (next ?? document.getElementById('panel-alerts'))?.focus();
  });
  const ruleRows = rules.data ?? [];
  return (
    <Panel
      title="Alerts"
      testId="panel-alerts"
      className="area-alerts"
      updatedAt={newestUpdate(alerts, rules)}
      actions={
        <>
          <button type="button" className="btn btn-ghost btn-sm" aria-expanded={showRules} onClick={() => setShowRules((v) => !v)} data-testid="toggle-rules">
            Rules ({ruleRows.length})
          </button>
          {canAct ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              disabled={rows.length === 0 || actions.clear.isPending}
              onClick={() => whenLive(() => actions.clear.mutate(undefined, { onSuccess: () => document.getElementById('panel-alerts')?.focus() }))}
              data-testid="alerts-clear"
            >
              Clear all
            </button>
          ) : null}
        </>
      }
    >
      {showRules ? (
        <div className="rules" data-testid="rules">
          {canAct ? (
            <RuleForm
              onSubmit={async (input) => {
                const r = await actions.createRule.mutateAsync(input as Parameters<typeof actions.createRule.mutateAsync>[0]);
                return { text: 'rule created', eventId: r.eventId };
              }}
            />
          ) : null}
          <StreamState error={rules.error} ready={rules.ready} empty={ruleRows.length === 0} emptyText="No rules yet." testId="rules">
            <ul className="mini-list" data-testid="rules-list">
              {ruleRows.map((r) => (
                <RuleRow key={r.id} rule={r} onDelete={canAct ? () => whenLive(() => actions.deleteRule.mutate({ id: r.id })) : undefined} />
              ))}
            </ul>
          </StreamState>
        </div>
      ) : null}
      {(triedOffline && !live) || actionError ? (
        <p className="state state-error" role="alert" data-testid="alerts-action-error">
          {triedOffline && !live ? OFFLINE_MESSAGE : failureMessage(actionError)}
        </p>
      ) : null}
      <StreamState error={alerts.error} ready={alerts.ready} empty={rows.length === 0} emptyText="No active alerts." testId="alerts">
        <ul className="feed" data-testid="alerts-list" ref={listRef}>
          {rows.map((a, index) => (
            <AlertRow key={a.id} alert={a} onDismiss={canAct ? () => dismiss(a.id, index) : undefined} />
          ))}
        </ul>
      </StreamState>
    </Panel>
  );
}

/** One alert; without `onDismiss` (a viewer) it has no dismiss button. */
const AlertRow = memo(function AlertRow({ alert: a, onDismiss }: { alert: Alert; onDismiss: (() => void) | undefined }) {
  return (
    <li className={`feed-row sev sev-${a.severity}`} data-testid="alert-row" data-id={a.id}>
      <div className="feed-line">
        <span className="feed-time">{formatClock(a.ts)}</span>
        <Badge tone={a.severity}>{a.severity}</Badge>
        <span className="sym">{a.symbol}</span>
        <span className="feed-text">{a.message}</span>
        <span className="num muted">{formatPrice(a.price)}</span>
        {onDismiss ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={onDismiss} aria-label={`Dismiss alert ${a.message}`} data-testid="alert-dismiss">
            ✕
          </button>
        ) : null}
      </div>
    </li>
  );
});

const RuleRow = memo(function RuleRow({ rule: r, onDelete }: { rule: AlertRule; onDelete: (() => void) | undefined }) {
  return (
    <li className="mini-row" data-testid="rule-row" data-id={r.id}>
      <span className="sym">{r.symbol}</span>
      <span>
        {r.condition} {formatPrice(r.threshold)}
      </span>
      <Badge tone={r.severity}>{r.severity}</Badge>
      <span className="muted">{r.armed ? 'armed' : 'fired'}</span>
      {onDelete ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDelete} aria-label={`Delete rule ${r.id}`} data-testid="rule-delete">
          ✕
        </button>
      ) : null}
    </li>
  );
});
