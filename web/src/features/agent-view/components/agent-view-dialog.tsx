import { useEffect, useId, useRef, useState } from 'react';
import type { AgentStats, AgentView, MemoryEvent } from '../../../../../shared/index';
import { Badge, Meter } from '../../../components/ui/bars';
import { formatClock, formatPrice, formatSigned, signClass } from '../../../lib/format';
import { useAgentMemory } from '../hooks/use-agent-memory';
import { useAgentView } from '../hooks/use-agent-view';
import { AgentSection } from './agent-section';
import { filterTimeline, tagsOf } from '../memory-timeline';

const STATUS_TONE = { idle: 'muted', active: 'pos', busy: 'accent', error: 'neg', offline: 'dim' } as const;
const RUN_TONE = { pending: 'muted', running: 'accent', completed: 'pos', failed: 'neg', cancelled: 'dim' } as const;
const ACTION_TONE = { buy: 'pos', sell: 'neg', hold: 'muted', created: 'pos', updated: 'accent', accessed: 'muted', deleted: 'neg' } as const;

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

/**
 * One agent, in a modal dialog (native `<dialog>`: the page behind is inert, Escape closes it):
 * performance, status history, tasks and workflow runs, decisions with the trades they caused, and
 * the memory timeline, live. While the desk replays its past, all of it is as of the replayed moment
 * (`agents.view({ at })`, rebuilt on the server) and says so; the memory timeline, a stream, is replayed.
 */
export function AgentViewDialog({ agentId, onClose }: { agentId: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const view = useAgentView(agentId);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);
  const data = view.data;
  return (
    <dialog ref={ref} className="agent-dialog" aria-labelledby={titleId} onClose={onClose} data-testid="agent-view" data-agent={agentId}>
      <header className="agent-dialog-head">
        <h2 id={titleId}>
          {data?.agent?.name ?? agentId} <span className="muted">{agentId}</span>
        </h2>
        {data?.agent ? <Badge tone={STATUS_TONE[data.agent.status]} testId="agent-view-status">{data.agent.status}</Badge> : null}
        <button type="button" className="btn btn-sm" onClick={() => ref.current?.close()} data-testid="agent-view-close">
          Close
        </button>
      </header>
      {data?.asOf ? (
        <p className="replay-mark agent-view-as-of" role="note" data-testid="agent-view-as-of" data-event-id={data.asOf.eventId}>
          As of {formatClock(data.asOf.ts)} (event {data.asOf.eventId}), the replayed moment: performance, status history, tasks, runs and decisions as they were then.
        </p>
      ) : null}
      {view.error ? (
        <p className="state state-error" role="alert">
          {view.error.message}
        </p>
      ) : !data ? (
        <p className="muted" data-testid="agent-view-loading">
          Loading {agentId}…
        </p>
      ) : (
        <div className="agent-dialog-body">
          <Performance stats={data.stats} />
          <Metadata metadata={data.agent?.metadata ?? {}} />
          <StatusHistory history={data.statusHistory} />
          <TasksAndRuns view={data} />
          <Decisions decisions={data.decisions} />
          <MemoryTimeline agentId={agentId} />
        </div>
      )}
    </dialog>
  );
}

function Performance({ stats: s }: { stats: AgentStats }) {
  const figures = [
    { id: 'realized', label: 'Realized P&L', value: s.realizedPnl, text: formatSigned(s.realizedPnl), className: signClass(s.realizedPnl) },
    { id: 'trades', label: 'Trades', value: s.trades, text: String(s.trades) },
    { id: 'win-rate', label: 'Win rate', value: s.winRate, text: `${percent(s.winRate)} of ${s.closingTrades}` },
    { id: 'decision-rate', label: 'Decisions traded', value: s.decisionToTradeRate, text: `${percent(s.decisionToTradeRate)} of ${s.decisions}` },
    { id: 'brier', label: 'Brier score', value: s.brierScore, text: s.brierScore === null ? '—' : s.brierScore.toFixed(3) },
  ];
  return (
    <AgentSection title="Performance">
      <dl className="agent-figures">
        {figures.map((f) => (
          <div key={f.id} className="stat">
            <dt className="muted">{f.label}</dt>
            <dd className={`num ${f.className ?? ''}`} data-testid={`agent-stat-${f.id}`} data-value={f.value === null ? '' : String(f.value)}>
              {f.text}
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted agent-note">
        Realized in the agent's own average-cost book per symbol. Confidence: Brier score over {s.scoredDecisions} decisions whose trade closed a holding (0 is perfect, 0.25 a coin);
        mean confidence {percent(s.meanConfidenceWinning)} when it won, {percent(s.meanConfidenceLosing)} when it lost.
      </p>
    </AgentSection>
  );
}

function Metadata({ metadata }: { metadata: Record<string, unknown> }) {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return null;
  return (
    <AgentSection title="Metadata">
      <dl className="agent-metadata">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt className="muted">{key}</dt>
            <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
          </div>
        ))}
      </dl>
    </AgentSection>
  );
}

function StatusHistory({ history }: { history: AgentView['statusHistory'] }) {
  return (
    <AgentSection title="Status history">
      {history.length === 0 ? (
        <p className="muted">No status yet.</p>
      ) : (
        <ol className="agent-statuses" data-testid="agent-status-history" tabIndex={0} aria-label="Statuses, newest first">
          {history.map((change) => (
            <li key={`${change.eventId}-${change.since}`}>
              <Badge tone={STATUS_TONE[change.status]}>{change.status}</Badge> <span className="muted">since {formatClock(change.since)}</span>
            </li>
          ))}
        </ol>
      )}
    </AgentSection>
  );
}

interface RunRowProps {
  id: string;
  title: string;
  note: string;
  status: keyof typeof RUN_TONE;
  progress: number;
  /** The meter's tone unless the run failed. */
  done: 'accent' | 'pos';
}

/** A task or a workflow run: what it is, its outcome or stage, its status and progress. */
function RunRow({ id, title, note, status, progress, done }: RunRowProps) {
  return (
    <li className="mini-row">
      <span className="mini-title" title={id}>
        {title}
      </span>
      <span className="muted mini-owner">{note}</span>
      <Badge tone={RUN_TONE[status]}>{status}</Badge>
      <Meter value={progress} tone={status === 'failed' ? 'neg' : done} label={`${title} progress`} />
    </li>
  );
}

function TasksAndRuns({ view }: { view: AgentView }) {
  return (
    <AgentSection title="Tasks" label="Tasks and workflow runs">
      {view.tasks.length === 0 ? <p className="muted">No tasks.</p> : null}
      <ul className="mini-list" data-testid="agent-view-tasks">
        {view.tasks.slice(0, 20).map((t) => (
          <RunRow key={t.id} id={t.id} title={t.type} note={t.error ?? t.result ?? (view.agent?.currentTaskId === t.id ? 'current' : '')} status={t.status} progress={t.progress} done="accent" />
        ))}
      </ul>
      <h3 className="sub-head">Workflow runs</h3>
      {view.workflowRuns.length === 0 ? <p className="muted">No workflow runs.</p> : null}
      <ul className="mini-list" data-testid="agent-view-runs">
        {view.workflowRuns.slice(0, 20).map((w) => (
          <RunRow key={w.executionId} id={w.executionId} title={w.workflowId} note={w.error ?? w.result ?? w.stage} status={w.status} progress={w.progress} done="pos" />
        ))}
      </ul>
    </AgentSection>
  );
}

function Decisions({ decisions }: { decisions: AgentView['decisions'] }) {
  return (
    <AgentSection title="Decisions → trades" label="Decisions and their trades">
      {decisions.length === 0 ? (
        <p className="muted">No decisions.</p>
      ) : (
        // Scrolls on its own, so it takes focus: the keyboard can scroll it.
        <div className="agent-table-wrap" tabIndex={0} role="region" aria-label="Decisions and their trades, scrollable">
          <table className="grid-table" data-testid="agent-view-decisions">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Decision</th>
                <th scope="col">Confidence</th>
                <th scope="col">Trade</th>
                <th scope="col">Realized</th>
                <th scope="col">Position after</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map(({ decision: d, trade, outcome }) => (
                <tr key={d.id} data-id={d.id} data-trade={d.tradeId ?? ''}>
                  <td>{formatClock(d.ts)}</td>
                  <td>
                    <Badge tone={ACTION_TONE[d.action]}>{d.action}</Badge> {d.symbol}
                  </td>
                  <td className="num">{Math.round(d.confidence * 100)}%</td>
                  <td className="num">{trade ? `${trade.qty} @ ${formatPrice(trade.price)}` : '—'}</td>
                  <td className={`num ${outcome ? signClass(outcome.realizedPnl) : ''}`}>{outcome?.closing ? formatSigned(outcome.realizedPnl) : '—'}</td>
                  <td className="num">{outcome ? (outcome.position.qty === 0 ? 'flat' : `${outcome.position.qty} @ ${formatPrice(outcome.position.avgPrice)}`) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AgentSection>
  );
}

function MemoryTimeline({ agentId }: { agentId: string }) {
  const { events, error } = useAgentMemory(agentId);
  const [tags, setTags] = useState<string[]>([]);
  const [minImportance, setMinImportance] = useState(0);
  const importanceId = useId();
  const all = events ?? [];
  const shown = filterTimeline(all, { tags, minImportance });
  const toggle = (tag: string) => setTags((current) => (current.includes(tag) ? current.filter((t) => t !== tag) : [...current, tag]));
  return (
    <AgentSection title="Memory" label="Memory timeline">
      <div className="memory-filters">
        <fieldset className="memory-tags">
          <legend className="muted">Tags</legend>
          {tagsOf(all).map((tag) => (
            <label key={tag} className="memory-tag">
              <input type="checkbox" checked={tags.includes(tag)} onChange={() => toggle(tag)} data-testid={`memory-tag-${tag}`} /> {tag}
            </label>
          ))}
        </fieldset>
        <label htmlFor={importanceId} className="muted">
          Importance at least {Math.round(minImportance * 100)}%
        </label>
        <input id={importanceId} type="range" min={0} max={1} step={0.1} value={minImportance} onChange={(e) => setMinImportance(Number(e.target.value))} data-testid="memory-min-importance" />
      </div>
      {error ? (
        <p className="state state-error" role="alert">
          {error}
        </p>
      ) : events === undefined ? (
        <p className="muted">Loading memory…</p>
      ) : shown.length === 0 ? (
        <p className="muted">No memory events match.</p>
      ) : (
        <ol className="memory-list" data-testid="memory-timeline" tabIndex={0} aria-label="Memory events, newest first">
          {shown.map((e) => (
            <MemoryRow key={e.id} event={e} />
          ))}
        </ol>
      )}
    </AgentSection>
  );
}

function MemoryRow({ event: e }: { event: MemoryEvent }) {
  return (
    <li className="memory-row" data-testid="memory-row" data-id={e.id} data-memory={e.memoryId}>
      <span className="feed-time">{formatClock(e.ts)}</span>
      <Badge tone={ACTION_TONE[e.action]}>{e.action}</Badge>
      <Meter value={e.importance} label="importance" />
      <span className="memory-content">{e.content || <span className="muted">{e.memoryId}</span>}</span>
      <span className="muted memory-row-tags">{e.tags.join(' ')}</span>
    </li>
  );
}
