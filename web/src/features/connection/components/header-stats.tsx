import { formatClock } from '../../../lib/format';
import { useLinkLive } from '../../../lib/use-link-live';
import { useLatency } from '../hooks/use-latency';
import { useLiveServerClock } from '../hooks/use-live-server-clock';

/** Round-trip latency and the server's time (an estimate, marked so, while the desk is not live). */
export function HeaderStats() {
  const latency = useLatency();
  const serverTime = useLiveServerClock();
  const live = useLinkLive();
  return (
    <dl className="header-stats">
      <div>
        <dt>Latency</dt>
        <dd data-testid="latency">{latency === null || !live ? '—' : `${latency} ms`}</dd>
      </div>
      <div className={live ? undefined : 'stale'} data-stale={live ? undefined : 'true'} title={live ? undefined : 'estimated from the last answer; the desk is not live'}>
        <dt>Server time</dt>
        <dd data-testid="server-time">{formatClock(serverTime)}</dd>
      </div>
    </dl>
  );
}
