import { lazy, type ReactNode } from 'react';
import { LazyPart } from '../../../components/ui/lazy-part';
import { Panel } from '../../../components/ui/panel';

// Its forms bring react-hook-form and the zod schemas: loaded after the first paint, not with it.
const ControlPanelCode = lazy(() => import('./control-panel').then((module) => ({ default: module.ControlPanel })));

// A panel of live data like the one it stands for: marked stale while the desk is away.
const frame = (children: ReactNode) => (
  <Panel title="Control" testId="panel-control" className="area-control" updatedAt={null}>
    {children}
  </Panel>
);

/** The control panel, its code loaded on first render. */
export function LazyControlPanel() {
  return (
    <LazyPart what="The controls" frame={frame} fallback={frame(<p className="state" data-testid="panel-control-loading">Loading the controls…</p>)}>
      <ControlPanelCode />
    </LazyPart>
  );
}
