import { lazy, Suspense, useState } from 'react';
import { useSession } from '../../../lib/session-context';
import { useCaughtUp } from '../hooks/use-caught-up';

// The scrubber loads on first use: nothing of it is in the first page load.
const TimelineBar = lazy(() => import('./timeline-bar'));

/** The header's Timeline button, and the scrubber it opens (always open while replaying). */
export function Timeline() {
  const session = useSession();
  // Replaying opens it (the app remounts on the replay's services); it stays open once live again.
  const [open, setOpen] = useState(() => session.replay !== null);
  useCaughtUp(session.replay, session.replayCaughtUp);
  const shown = open || session.replay !== null;
  return (
    <>
      <button type="button" className="timeline-toggle" data-testid="timeline-toggle" aria-expanded={shown} aria-controls="timeline-bar" onClick={() => setOpen(!shown)}>
        Timeline
      </button>
      {shown ? (
        <Suspense fallback={null}>
          <TimelineBar onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}
