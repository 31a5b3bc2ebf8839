import { useState } from 'react';
import { Badge } from '../../../components/ui/bars';
import { FieldForm } from '../../../components/ui/field-form';
import { Panel } from '../../../components/ui/panel';
import { failureMessage, OFFLINE_MESSAGE } from '../../../lib/form-errors';
import { useLinkLive } from '../../../lib/use-link-live';
import { useCan } from '../../../lib/use-can';
import { controlForms, simulatorFields, simulatorSchema, type ControlFormId } from '../forms';
import { useControlActions } from '../hooks/use-control-actions';
import { useLiveHealth } from '../hooks/use-live-health';

/** Simulator start/stop, rate and symbols, and a form for every mutation; the simulator's state only, for viewers. */
export function ControlPanel() {
  const { health, error, updatedAt } = useLiveHealth();
  const canAct = useCan('operator');
  const live = useLinkLive();
  const actions = useControlActions();
  const [tab, setTab] = useState<ControlFormId>('trade');
  const [simError, setSimError] = useState<string | null>(null);
  const sim = health?.simulator;
  const form = controlForms.find((f) => f.id === tab) ?? controlForms[0]!;

  async function setRunning(running: boolean) {
    setSimError(null);
    if (!live) return setSimError(OFFLINE_MESSAGE);
    try {
      await actions.simulator({ running });
    } catch (e) {
      setSimError(failureMessage(e));
    }
  }

  return (
    <Panel title="Control" testId="panel-control" className="area-control" updatedAt={updatedAt}>
      <div className="control-layout">
        <section className="sim-box" aria-label="Simulator">
          <div className="sim-head">
            <h3>Simulator</h3>
            {sim ? (
              <Badge tone={sim.running ? 'pos' : 'muted'} testId="sim-status">
                {sim.running ? 'running' : 'stopped'}
              </Badge>
            ) : (
              <span className="muted">{error ?? '…'}</span>
            )}
          </div>
          {sim ? (
            <p className="muted sim-meta" data-testid="sim-meta">
              {sim.ticksPerSecond} ticks/s · {sim.symbols.join(', ')} · seed {sim.seed}
            </p>
          ) : null}
          <div className="btn-row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!canAct || !sim || sim.running}
              onClick={() => void setRunning(true)}
              data-testid="sim-start"
            >
              Start
            </button>
            <button type="button" className="btn" disabled={!canAct || !sim || !sim.running} onClick={() => void setRunning(false)} data-testid="sim-stop">
              Stop
            </button>
          </div>
          {canAct ? null : (
            <p className="muted" data-testid="read-only-note">
              Read-only: your role is viewer. An operator token is needed to run the simulator or send events.
            </p>
          )}
          {simError ? (
            <p className="form-error" role="alert">
              {simError}
            </p>
          ) : null}
          {canAct ? <FieldForm id="simulator" fields={simulatorFields} schema={simulatorSchema} submitLabel="Apply" onSubmit={actions.simulator} /> : null}
        </section>
        {canAct ? (
          <section className="forms-box" aria-label="Send events">
            <div className="tabs tabs-wrap" role="tablist" aria-label="Mutation forms">
              {controlForms.map((f) => (
                <button
                  key={f.id}
                  type="button"
                  role="tab"
                  aria-selected={tab === f.id}
                  className={`tab ${tab === f.id ? 'tab-on' : ''}`}
                  onClick={() => setTab(f.id)}
                  data-testid={`control-tab-${f.id}`}
                >
                  {f.label}
                </button>
              ))}
            </div>
            <FieldForm
              key={form.id}
              id={form.id}
              fields={form.fields}
              schema={form.schema}
              submitLabel={form.submitLabel}
              onSubmit={actions.forms[form.id]}
            />
          </section>
        ) : null}
      </div>
    </Panel>
  );
}
