import * as Toolbar from '@radix-ui/react-toolbar';
import { memo, useCallback, useState } from 'react';
import type { Agent, AgentCommand, AgentCommandKind, Task, WorkflowRun } from '../../../../../shared/index';
import { AgentLink } from '../../../components/ui/agent-link';
import { RovingItem, RovingList } from '../../../components/ui/roving-list';
import { Badge, Meter } from '../../../components/ui/bars';
import { Panel, StreamState } from '../../../components/ui/panel';
import { failureMessage, OFFLINE_MESSAGE } from '../../../lib/form-errors';
import { useLinkLive } from '../../../lib/use-link-live';
import { newestUpdate } from '../../../lib/use-live-view';
import { useCan } from '../../../lib/use-can';
import { useLiveAgentCommands } from '../hooks/use-live-agent-commands';
import { useLiveAgents } from '../hooks/use-live-agents';
import { useSendAgentCommand } from '../hooks/use-send-agent-command';
import { describeCommand, latestCommandByAgent } from '../latest-command';
import { useLiveTasks } from '../hooks/use-live-tasks';
import { useLiveWorkflows } from '../hooks/use-live-workflows';

const AGENT_TONE = { idle: 'muted', active: 'pos', busy: 'accent', error: 'neg', offline: 'dim' } as const;
const TASK_TONE = { pending: 'muted', running: 'accent', completed: 'pos', failed: 'neg', cancelled: 'dim' } as const;
const COMMAND_TONE = { sent: 'accent', acknowledged: 'pos', rejected: 'neg', timedOut: 'neg' } as const;
const ACTIVE_FIRST = { running: 0, pending: 1, failed: 2, completed: 3, cancelled: 4 } as const;

/**
 * Agents with their status, current task and the state of their latest operator command (with
 * pause / resume / flatten / cancel-task buttons for operators), their tasks and workflow runs.
 */
export function AgentsPanel() {
  const agents = useLiveAgents();
  const commands = useLiveAgentCommands();
  const canAct = useCan('operator');
  const send = useSendAgentCommand();
  const [sendError, setSendError] = useState<string | null>(null);
  const live = useLinkLive();
  const sendCommand = useCallback(
    (agentId: string, kind: AgentCommandKind, taskId?: string) => {
      // Offline, nothing is sent and the panel says so, as the forms do, rather than waiting out
      // the retries for the browser's "Failed to fetch".
      if (!live) return setSendError(`${agentId}: ${OFFLINE_MESSAGE}`);
      setSendError(null);
      send.mutate({ agentId, kind, taskId }, { onError: (error) => setSendError(`${agentId}: ${failureMessage(error)}`) });
    },
    [send.mutate, live],
  );
  const latest = latestCommandByAgent(commands.data ?? []);
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
            <AgentRow
              key={a.id}
              agent={a}
              task={a.currentTaskId ? taskById.get(a.currentTaskId) : undefined}
              command={latest.get(a.id)}
              onCommand={canAct ? sendCommand : null}
            />
          ))}
        </ul>
        {sendError ? (
          <p className="form-error" role="alert" data-testid="agent-command-error">
            {sendError}
          </p>
        ) : null}
      </StreamState>
      <h3 className="sub-head">Tasks</h3>
      <StreamState error={tasks.error} ready={tasks.ready} empty={taskRows.length === 0} emptyText="No tasks." testId="tasks">
        {/* One tab stop, the arrow keys between the owners: a long list is not a Tab press per row. */}
        <RovingList className="mini-list" data-testid="tasks-list">
          {taskRows.map((t) => (
            <TaskRow key={t.id} task={t} />
          ))}
        </RovingList>
      </StreamState>
      <h3 className="sub-head">Workflow runs</h3>
      <StreamState error={workflows.error} ready={workflows.ready} empty={runRows.length === 0} emptyText="No workflow runs." testId="workflows">
        <RovingList className="mini-list" data-testid="workflows-list">
          {runRows.map((w) => (
            <RunRow key={w.executionId} run={w} />
          ))}
        </RovingList>
      </StreamState>
    </Panel>
  );
}

interface AgentRowProps {
  agent: Agent;
  task: Task | undefined;
  /** The agent's newest command, whose state the row shows. */
  command: AgentCommand | undefined;
  /** Sends a command; null for a viewer (no buttons). */
  onCommand: ((agentId: string, kind: AgentCommandKind, taskId?: string) => void) | null;
}

const AgentRow = memo(function AgentRow({ agent: a, task, command, onCommand }: AgentRowProps) {
  const waiting = command?.state === 'sent';
  return (
    <li className="agent" data-testid={`agent-${a.id}`}>
      <div className="agent-main">
        <AgentLink agentId={a.id} label={a.name} className="agent-name" />
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
      {command || onCommand ? (
        <div className="agent-commands">
          {command ? (
            <span data-testid={`agent-command-${a.id}`} data-state={command.state} title={`sent by ${command.sentBy}`}>
              <Badge tone={COMMAND_TONE[command.state]}>{describeCommand(command)}</Badge>
            </span>
          ) : null}
          {onCommand ? (
            // A toolbar: one tab stop per agent, the arrow keys between its buttons, so a desk of
            // many agents is not four Tab presses each.
            <Toolbar.Root className="agent-command-buttons" aria-label={`Commands to ${a.name}`}>
              <CommandButton agentId={a.id} kind="pause" label="Pause" disabled={waiting} onCommand={onCommand} />
              <CommandButton agentId={a.id} kind="resume" label="Resume" disabled={waiting} onCommand={onCommand} />
              <CommandButton agentId={a.id} kind="flatten" label="Flatten" disabled={waiting} onCommand={onCommand} />
              {a.currentTaskId ? (
                <CommandButton agentId={a.id} kind="cancelTask" taskId={a.currentTaskId} label="Cancel task" disabled={waiting} onCommand={onCommand} />
              ) : null}
            </Toolbar.Root>
          ) : null}
        </div>
      ) : null}
    </li>
  );
});

function CommandButton(props: { agentId: string; kind: AgentCommandKind; taskId?: string; label: string; disabled: boolean; onCommand: NonNullable<AgentRowProps['onCommand']> }) {
  const { agentId, kind, taskId, label, disabled, onCommand } = props;
  return (
    <Toolbar.Button
      type="button"
      className="btn btn-sm"
      disabled={disabled}
      title={disabled ? 'waiting for the agent to answer its last command' : undefined}
      onClick={() => onCommand(agentId, kind, taskId)}
      data-testid={`agent-${kind}-${agentId}`}
    >
      {label}
    </Toolbar.Button>
  );
}

const TaskRow = memo(function TaskRow({ task: t }: { task: Task }) {
  return (
    <li className="mini-row" data-testid="task-row" data-id={t.id}>
      <span className="mini-title" title={t.id}>
        {t.type}
      </span>
      {t.agentId ? (
        <RovingItem asChild>
          <AgentLink agentId={t.agentId} className="mini-owner" />
        </RovingItem>
      ) : (
        <span className="muted mini-owner">unassigned</span>
      )}
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
      <span className="muted mini-owner">
        {w.agentId ? (
          <RovingItem asChild>
            <AgentLink agentId={w.agentId} />
          </RovingItem>
        ) : null}{' '}
        {w.stage}
      </span>
      <Badge tone={TASK_TONE[w.status]}>{w.status}</Badge>
      <Meter value={w.progress} tone={w.status === 'failed' ? 'neg' : 'pos'} label="progress" />
    </li>
  );
});
