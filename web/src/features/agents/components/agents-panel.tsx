import { memo } from 'react';
import type { Agent, Task, WorkflowRun } from '../../../../../shared/index';
import { Badge, Meter } from '../../../components/ui/bars';
import { Panel, StreamState } from '../../../components/ui/panel';
import { newestUpdate } from '../../../lib/use-live-view';
import { useLiveAgents } from '../hooks/use-live-agents';
import { useLiveTasks } from '../hooks/use-live-tasks';
import { useLiveWorkflows } from '../hooks/use-live-workflows';

const AGENT_TONE = { idle: 'muted', active: 'pos', busy: 'accent', error: 'neg', offline: 'dim' } as const;
const TASK_TONE = { pending: 'muted', running: 'accent', completed: 'pos', failed: 'neg', cancelled: 'dim' } as const;
const ACTIVE_FIRST = { running: 0, pending: 1, failed: 2, completed: 3, cancelled: 4 } as const;

/** Agents with their status and current task, their tasks and workflow runs with progress. */
export function AgentsPanel() {
  const agents = useLiveAgents();
  const tasks = useLiveTasks();
  const workflows = useLiveWorkflows();
  const taskById = new Map((tasks.data ?? []).map((t) => [t.id, t]));
  const taskRows = [...(tasks.data ?? [])].sort((a: Task, b: Task) => ACTIVE_FIRST[a.status] - ACTIVE_FIRST[b.status] || b.updatedAt - a.updatedAt).slice(0, 12);
  const runRows = [...(workflows.data ?? [])].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 8);
  return (
    <Panel title="Agents" testId="panel-agents" className="area-agents" updatedAt={newestUpdate(agents, tasks, workflows)}>
      <StreamState error={agents.error} ready={agents.ready} empty={(agents.data ?? []).length === 0} emptyText="No agents have reported yet." testId="agents">
        <ul className="agent-list" data-testid="agents-list">
          {(agents.data ?? []).map((a) => (
            <AgentRow key={a.id} agent={a} task={a.currentTaskId ? taskById.get(a.currentTaskId) : undefined} />
          ))}
        </ul>
      </StreamState>
      <h3 className="sub-head">Tasks</h3>
      <StreamState error={tasks.error} ready={tasks.ready} empty={taskRows.length === 0} emptyText="No tasks." testId="tasks">
        <ul className="mini-list" data-testid="tasks-list">
          {taskRows.map((t) => (
            <TaskRow key={t.id} task={t} />
          ))}
        </ul>
      </StreamState>
      <h3 className="sub-head">Workflow runs</h3>
      <StreamState error={workflows.error} ready={workflows.ready} empty={runRows.length === 0} emptyText="No workflow runs." testId="workflows">
        <ul className="mini-list" data-testid="workflows-list">
          {runRows.map((w) => (
            <RunRow key={w.executionId} run={w} />
          ))}
        </ul>
      </StreamState>
    </Panel>
  );
}

const AgentRow = memo(function AgentRow({ agent: a, task }: { agent: Agent; task: Task | undefined }) {
  return (
    <li className="agent" data-testid={`agent-${a.id}`}>
      <div className="agent-main">
        <span className="agent-name">{a.name}</span>
        <Badge tone={AGENT_TONE[a.status]} testId={`agent-status-${a.id}`}>
          {a.status}
        </Badge>
      </div>
      <div className="agent-meta muted">
        <span>{a.id}</span>
        <span>cpu {Math.round(a.cpu)}%</span>
        <span>mem {Math.round(a.memory)} MB</span>
        <span className="agent-task">{task ? `${task.type} ${Math.round(task.progress * 100)}%` : a.currentTaskId ? a.currentTaskId : 'no task'}</span>
      </div>
    </li>
  );
});

const TaskRow = memo(function TaskRow({ task: t }: { task: Task }) {
  return (
    <li className="mini-row" data-testid="task-row" data-id={t.id}>
      <span className="mini-title" title={t.id}>
        {t.type}
      </span>
      <span className="muted mini-owner">{t.agentId ?? 'unassigned'}</span>
      <Badge tone={TASK_TONE[t.status]}>{t.status}</Badge>
      <Meter value={t.progress} tone={t.status === 'failed' ? 'neg' : 'accent'} label="progress" />
    </li>
  );
});

const RunRow = memo(function RunRow({ run: w }: { run: WorkflowRun }) {
  return (
    <li className="mini-row" data-testid="workflow-row" data-id={w.executionId}>
      <span className="mini-title" title={w.executionId}>
        {w.workflowId}
      </span>
      <span className="muted mini-owner">{w.stage}</span>
      <Badge tone={TASK_TONE[w.status]}>{w.status}</Badge>
      <Meter value={w.progress} tone={w.status === 'failed' ? 'neg' : 'pos'} label="progress" />
    </li>
  );
});
