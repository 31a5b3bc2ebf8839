import * as Tabs from '@radix-ui/react-tabs';
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
          // Radix Tabs: arrow keys and Home/End move between forms, and each tab names its panel.
          <Tabs.Root asChild value={tab} onValueChange={(value) => setTab(value as ControlFormId)}>
            <section className="forms-box" aria-label="Send events">
              <Tabs.List className="tabs tabs-wrap" aria-label="Mutation forms">
                {controlForms.map((f) => (
                  <Tabs.Trigger key={f.id} value={f.id} className="tab" data-testid={`control-tab-${f.id}`}>
                    {f.label}
                  </Tabs.Trigger>
                ))}
              </Tabs.List>
              {/* Only the chosen form is mounted (Radix renders the active panel alone). Its fields are
                  the tab stops, so the panel itself is not one. */}
              {controlForms.map((f) => (
                <Tabs.Content key={f.id} value={f.id} tabIndex={-1}>
                  <FieldForm id={f.id} fields={f.fields} schema={f.schema} submitLabel={f.submitLabel} onSubmit={actions.forms[f.id]} />
                </Tabs.Content>
              ))}
            </section>
          </Tabs.Root>
        ) : null}
      </div>
    </Panel>
  );
}
