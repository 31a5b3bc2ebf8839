import { AgentLink } from '../../../components/ui/agent-link';
import { Panel, StreamState } from '../../../components/ui/panel';
import { Sparkline } from '../../../components/ui/sparkline';
import type { ClusterInstance, Presence } from '../../../../../shared/index';
import { formatClock, formatCompact } from '../../../lib/format';
import { useLivePresence } from '../hooks/use-live-presence';
import { useLiveStats } from '../hooks/use-live-stats';

/** Connections, subscriptions per topic, message rates, conflation and resyncs; in a cluster, every instance. */
export function SystemPanel() {
  const { stats, ready, error, throughput, updatedAt } = useLiveStats();
  const rate = throughput.messages[throughput.messages.length - 1];
  const eventRate = throughput.events[throughput.events.length - 1];
  const topics = stats ? Object.entries(stats.subscriptions).sort(([a], [b]) => a.localeCompare(b)) : [];
  return (
    <Panel title="System" testId="panel-system" className="area-system" updatedAt={updatedAt} actions={stats ? <span className="muted">up {formatUptime(stats.uptimeSec)}</span> : null}>
      <StreamState error={error} ready={ready} empty={!stats} emptyText="No stats yet." testId="system">
        {stats ? (
          <>
            <div className="stat-grid">
              <Stat label="Connections" value={String(stats.connections)} testId="stat-connections" />
              <Stat label="Messages/s" value={rate === undefined ? '—' : formatCompact(rate)} testId="stat-rate" />
              <Stat label="Events/s" value={eventRate === undefined ? '—' : formatCompact(eventRate)} testId="stat-event-rate" />
              <Stat label="Messages sent" value={formatCompact(stats.messagesSent)} testId="stat-sent" />
              <Stat label="Conflated" value={formatCompact(stats.conflated)} testId="stat-conflated" />
              <Stat label="Resynced" value={formatCompact(stats.resynced)} testId="stat-resynced" />
            </div>
            <div className="throughput" data-testid="throughput-chart">
              <span className="muted">messages/s, last {throughput.messages.length} s</span>
              <Sparkline values={throughput.messages} width={260} height={40} tone="neutral" />
            </div>
            {stats.cluster ? <ClusterTable instances={stats.cluster} /> : null}
            <PresenceTable />
            <table className="grid-table compact" data-testid="subscriptions-table">
              <thead>
                <tr>
                  <th>Topic</th>
                  <th className="num">Subscriptions</th>
                </tr>
              </thead>
              <tbody>
                {topics.length === 0 ? (
                  <tr>
                    <td colSpan={2} className="muted">
                      none
                    </td>
                  </tr>
                ) : (
                  topics.map(([topic, count]) => (
                    <tr key={topic}>
                      <td>{topic}</td>
                      <td className="num">{count}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </>
        ) : null}
      </StreamState>
    </Panel>
  );
}

const PRESENCE_ROWS = 12;

/** Who is connected: counts by kind, then each connection's kind, holder, role and since when. */
function PresenceTable() {
  const { presence, error } = useLivePresence();
  if (error) return <p className="form-error">presence: {error}</p>;
  if (!presence) return null;
  const rows = presence.connections.slice(-PRESENCE_ROWS).reverse();
  return (
    <table className="grid-table compact" data-testid="presence-table">
      <caption className="muted" data-testid="presence-counts">
        {countsLine(presence)}
      </caption>
      <thead>
        <tr>
          <th>Client</th>
          <th>Holder</th>
          <th>Role</th>
          <th className="num">Since</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-testid="presence-row" data-kind={c.kind}>
            <td>{c.agentId ? <>agent <AgentLink agentId={c.agentId} /></> : c.kind}</td>
            <td title={c.address}>{c.name ?? '—'}</td>
            <td>{c.role ?? 'none'}</td>
            <td className="num">{formatClock(c.since)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function countsLine(p: Presence): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(p.counts.dashboard, 'dashboard'), plural(p.counts.agent, 'agent'), plural(p.counts.script, 'script')];
  return `Connected: ${parts.join(', ')}${p.instances > 1 ? ` on ${p.instances} instances` : ''}`;
}

/** Every instance of the cluster as it last reported itself: what each holds and how it is doing. */
function ClusterTable({ instances }: { instances: ClusterInstance[] }) {
  const total = (pick: (i: ClusterInstance) => number) => instances.reduce((sum, i) => sum + pick(i), 0);
  return (
    <table className="grid-table compact" data-testid="instances-table">
      <thead>
        <tr>
          <th>Instance</th>
          <th className="num">Connections</th>
          <th className="num">Subscriptions</th>
          <th className="num">Behind</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {instances.map((i) => (
          <tr key={i.instance}>
            <td>
              {i.instance}
              {i.simulating ? <span className="muted"> · simulator</span> : null}
            </td>
            <td className="num">{i.connections}</td>
            <td className="num">{i.subscriptions}</td>
            <td className="num">{i.lagCommands}</td>
            <td>{!i.up ? 'log unavailable' : i.ready ? 'ready' : 'catching up'}</td>
          </tr>
        ))}
        <tr>
          <td className="muted">{instances.length} instances</td>
          <td className="num">{total((i) => i.connections)}</td>
          <td className="num">{total((i) => i.subscriptions)}</td>
          <td colSpan={2} />
        </tr>
      </tbody>
    </table>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

function formatUptime(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = Math.floor(sec % 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
