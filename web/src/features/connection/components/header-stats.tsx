import { formatClock } from '../../../lib/format';
import { useLatency } from '../hooks/use-latency';
import { useLiveServerClock } from '../hooks/use-live-server-clock';

/** Round-trip latency and the server's time. */
export function HeaderStats() {
  const latency = useLatency();
  const serverTime = useLiveServerClock();
  return (
    <dl className="header-stats">
      <div>
        <dt>Latency</dt>
        <dd data-testid="latency">{latency === null ? '—' : `${latency} ms`}</dd>
      </div>
      <div>
        <dt>Server time</dt>
        <dd data-testid="server-time">{formatClock(serverTime)}</dd>
      </div>
    </dl>
  );
}
