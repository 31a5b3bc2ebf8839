import { useState } from 'react';
import { formatClock } from '../../../lib/format';
import { replayTime, startReplay } from '../../../lib/replay-mode';
import { useSession } from '../../../lib/session-context';
import { trpc } from '../../../lib/trpc';
import { useReplayTime } from '../../../lib/use-replay-time';
import type { ReplaySpeed } from '../../../../../shared/schema/replay';

const SPEEDS: ReplaySpeed[] = [1, 10, 100];

/**
 * The scrubber: a slider over the moments the desk can rebuild (or an event id), play at 1x, 10x
 * or 100x, pause, back to live. Every panel follows (each stream replays the same moment).
 */
export default function TimelineBar({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const mode = session.replay;
  const at = useReplayTime();
  const window = trpc.replay.window.useQuery(undefined, { refetchInterval: mode ? false : 5000 });
  const from = window.data?.from?.ts ?? null;
  const to = window.data ? Math.max(window.data.to.ts, Date.now() - 1000) : null;
  const [pick, setPick] = useState<number | null>(null);
  const [eventId, setEventId] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const utils = trpc.useUtils();
  const shown = pick ?? at ?? (to !== null ? to - 60_000 : null);
  const go = (ts: number) => session.setReplay(startReplay(Math.round(ts), 0, Date.now()));
  const play = (speed: ReplaySpeed) => {
    // Held at a picked event id: play from that id, not from its millisecond (which may hold later commits).
    if (mode && mode.speed === 0 && typeof mode.from === 'string') return session.setReplay(startReplay(mode.fromTs, speed, Date.now(), mode.from));
    const ts = mode ? replayTime(mode, Date.now()) : (shown ?? Date.now());
    session.setReplay(startReplay(Math.round(Math.min(ts, Date.now())), speed, Date.now()));
  };
  return (
    <section className="timeline-bar" id="timeline-bar" data-testid="timeline-bar" aria-label="Timeline">
      <span className="timeline-readout" data-testid="timeline-readout">
        {mode ? `Replay at ${formatClock(at)}${mode.speed ? ` · ${mode.speed}x` : ' · paused'}` : 'Live'}
      </span>
      {from !== null && to !== null ? (
        <input
          type="range"
          className="timeline-slider"
          data-testid="timeline-slider"
          aria-label="Moment to show"
          aria-valuetext={shown === null ? undefined : formatClock(shown)}
          min={from}
          max={to}
          step={1000}
          value={Math.max(from, Math.min(to, shown ?? to))}
          onChange={(event) => setPick(Number(event.target.value))}
          onPointerUp={() => pick !== null && (go(pick), setPick(null))}
          onKeyUp={() => pick !== null && (go(pick), setPick(null))}
        />
      ) : (
        <span className="muted">{window.error ? `timeline unavailable: ${window.error.message}` : 'loading the timeline…'}</span>
      )}
      <form
        className="timeline-id"
        onSubmit={(event) => {
          event.preventDefault();
          if (!/^\d{1,16}$/.test(eventId)) return setRefusal('an event id is a number');
          // The moment's time, for the clock the panels show; the streams replay from the id itself.
          utils.replay.asOf
            .fetch({ at: eventId, limit: 0 })
            .then((asOf) => {
              setRefusal(null);
              session.setReplay(startReplay(asOf.ts, 0, Date.now(), eventId));
            })
            .catch((error: Error) => setRefusal(error.message));
        }}
      >
        <input aria-label="Event id" placeholder="event id" inputMode="numeric" value={eventId} onChange={(event) => setEventId(event.target.value.trim())} data-testid="timeline-event-id" />
        <button type="submit">Show</button>
        {refusal ? (
          <span className="timeline-refusal" role="alert" data-testid="timeline-refusal">
            {refusal}
          </span>
        ) : null}
      </form>
      <div className="timeline-buttons" role="group" aria-label="Play">
        {SPEEDS.map((speed) => (
          <button type="button" key={speed} data-testid={`timeline-play-${speed}`} aria-pressed={mode?.speed === speed} onClick={() => play(speed)}>
            ▶ {speed}x
          </button>
        ))}
        <button type="button" data-testid="timeline-pause" disabled={!mode || mode.speed === 0} onClick={() => mode && go(replayTime(mode, Date.now()))}>
          Pause
        </button>
        <button type="button" data-testid="timeline-live" disabled={!mode} onClick={() => session.setReplay(null)}>
          Back to live
        </button>
        {mode ? null : (
          <button type="button" onClick={onClose} aria-label="Close the timeline">
            ×
          </button>
        )}
      </div>
    </section>
  );
}
