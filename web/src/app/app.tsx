import { useRef, useState } from 'react';
import { AgentViewHost } from '../features/agent-view';
import { AlertCentre } from '../features/alerts';
import { ConnectionBadge, HeaderStats } from '../features/connection';
import { LayoutControls, useElementHeight, useLayoutStore, type BreakpointName } from '../features/layout';
import { SessionChip, SignInScreen } from '../features/session';
import { Timeline } from '../features/timeline';
import { MAIN_ID, SkipLinks, type SkipLink } from '../components/ui/skip-links';
import { useIdentity } from '../lib/use-identity';
import { useIdentityRechecks } from '../lib/use-identity-rechecks';
import { Board } from './board';

/** Where the skip links lead on the desk: the panels a keyboard user wants first, past the header. */
const DESK_SKIP_LINKS: readonly SkipLink[] = [
  { target: MAIN_ID, label: 'Skip to main desk' },
  { target: 'panel-alerts', label: 'Skip to alerts' },
  { target: 'panel-control', label: 'Skip to controls' },
];
const SIGN_IN_SKIP_LINKS: readonly SkipLink[] = [{ target: MAIN_ID, label: 'Skip to sign-in' }];

/** The dashboard: skip links, header, then the sign-in screen or the panels the caller's role may see. */
export function App() {
  const identity = useIdentity();
  useIdentityRechecks();
  const layouts = useLayoutStore();
  const [arranging, setArranging] = useState(false);
  const arrangeButton = useRef<HTMLButtonElement>(null);
  // Escape on a grip ends arranging; the grip goes, so focus goes back to the button that began it.
  const finishArranging = () => {
    setArranging(false);
    arrangeButton.current?.focus();
  };
  const [breakpoint, setBreakpoint] = useState<BreakpointName | null>(null);
  const [headerRef, headerHeight] = useElementHeight<HTMLElement>();
  return (
    <div className="app">
      <SkipLinks links={identity.status === 'signed-in' ? DESK_SKIP_LINKS : SIGN_IN_SKIP_LINKS} />
      <header className="app-header" ref={headerRef}>
        <div className="brand">
          <span className="brand-mark" aria-hidden />
          <h1>livedesk</h1>
        </div>
        {identity.status === 'signed-in' ? (
          <>
            <AlertCentre />
            <HeaderStats />
            <LayoutControls arranging={arranging} arrangeRef={arrangeButton} onArrange={setArranging} onReset={() => breakpoint && layouts.reset(breakpoint)} />
            <Timeline />
          </>
        ) : null}
        <SessionChip identity={identity} />
        <ConnectionBadge />
      </header>
      {identity.status === 'refused' ? (
        <SignInScreen identity={identity} />
      ) : identity.status === 'signed-in' ? (
        <AgentViewHost>
          <Board role={identity.role} store={layouts} arranging={arranging} offsetTop={headerHeight} onBreakpoint={setBreakpoint} onArrangeDone={finishArranging} />
        </AgentViewHost>
      ) : (
        <main className="sign-in skip-target" id={MAIN_ID} tabIndex={-1} data-testid="checking">
          <p className="muted">Reaching the desk…</p>
        </main>
      )}
    </div>
  );
}
