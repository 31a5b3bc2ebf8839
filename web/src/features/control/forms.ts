import { recordDecisionInput, setAgentStatusInput, upsertTaskInput, workflowStepInput } from '../../../../shared/schema/agents';
import {
  broadcastCustomInput,
  createAlertRuleInput,
  publishSignalInput,
  pushNotificationInput,
  raiseSystemAlertInput,
  recordMetricsInput,
} from '../../../../shared/schema/feeds';
import { executeTradeInput, setPriceInput } from '../../../../shared/schema/market';
import { simulatorControlInput } from '../../../../shared/schema/system';
import type { InputSchema } from '../../lib/form-resolver';
import type { FieldSpec } from '../../lib/form-values';

/** Which mutation a control form sends. */
export type ControlFormId =
  | 'trade'
  | 'tick'
  | 'decision'
  | 'agent-status'
  | 'task'
  | 'workflow'
  | 'rule'
  | 'signal'
  | 'notification'
  | 'system-alert'
  | 'metrics'
  | 'custom';

export interface ControlForm {
  id: ControlFormId;
  label: string;
  submitLabel: string;
  fields: readonly FieldSpec[];
  /** The schema the server validates this mutation's input with (shared/schema). */
  schema: InputSchema;
}

const severities = ['info', 'warning', 'critical'] as const;

/** One form per mutation the desk accepts, in the order the tabs show them. */
export const controlForms: readonly ControlForm[] = [
  {
    id: 'trade',
    schema: executeTradeInput,
    label: 'Trade',
    submitLabel: 'Execute trade',
    fields: [
      { name: 'symbol', label: 'Symbol', kind: 'text', initial: 'AAPL' },
      { name: 'side', label: 'Side', kind: 'select', options: ['buy', 'sell'] },
      { name: 'qty', label: 'Quantity', kind: 'number', initial: '10' },
      { name: 'price', label: 'Price', kind: 'number', placeholder: 'last price' },
      { name: 'agentId', label: 'Agent', kind: 'text', placeholder: 'optional' },
    ],
  },
  {
    id: 'tick',
    schema: setPriceInput,
    label: 'Price tick',
    submitLabel: 'Send tick',
    fields: [
      { name: 'symbol', label: 'Symbol', kind: 'text', initial: 'AAPL' },
      { name: 'price', label: 'Price', kind: 'number', placeholder: 'or a nudge' },
      { name: 'nudgePct', label: 'Nudge (0.01 = +1 %)', kind: 'number', placeholder: '0.01' },
      { name: 'volume', label: 'Volume', kind: 'number', placeholder: 'optional' },
    ],
  },
  {
    id: 'decision',
    schema: recordDecisionInput,
    label: 'Decision',
    submitLabel: 'Record decision',
    fields: [
      { name: 'agentId', label: 'Agent', kind: 'text', initial: 'momentum-1' },
      { name: 'symbol', label: 'Symbol', kind: 'text', initial: 'AAPL' },
      { name: 'action', label: 'Action', kind: 'select', options: ['buy', 'sell', 'hold'] },
      { name: 'confidence', label: 'Confidence (0–1)', kind: 'number', initial: '0.7' },
      { name: 'executeQty', label: 'Execute qty', kind: 'number', placeholder: 'optional' },
      { name: 'reasoning', label: 'Reasoning', kind: 'textarea' },
    ],
  },
  {
    id: 'agent-status',
    schema: setAgentStatusInput,
    label: 'Agent status',
    submitLabel: 'Set status',
    fields: [
      { name: 'id', label: 'Agent id', kind: 'text', initial: 'momentum-1' },
      { name: 'name', label: 'Name', kind: 'text', placeholder: 'optional' },
      { name: 'status', label: 'Status', kind: 'select', options: ['active', 'idle', 'busy', 'error', 'offline'] },
      { name: 'currentTaskId', label: 'Current task', kind: 'text', placeholder: 'optional' },
      { name: 'cpu', label: 'CPU %', kind: 'number', placeholder: 'optional' },
      { name: 'memory', label: 'Memory MB', kind: 'number', placeholder: 'optional' },
    ],
  },
  {
    id: 'task',
    schema: upsertTaskInput,
    label: 'Task',
    submitLabel: 'Save task',
    fields: [
      { name: 'id', label: 'Task id', kind: 'text', placeholder: 'new task' },
      { name: 'agentId', label: 'Agent', kind: 'text', placeholder: 'optional' },
      { name: 'type', label: 'Type', kind: 'text', initial: 'rebalance' },
      { name: 'priority', label: 'Priority', kind: 'select', options: ['', 'low', 'normal', 'high', 'urgent'] },
      { name: 'status', label: 'Status', kind: 'select', options: ['', 'pending', 'running', 'completed', 'failed', 'cancelled'] },
      { name: 'progress', label: 'Progress (0–1)', kind: 'number', placeholder: 'optional' },
    ],
  },
  {
    id: 'workflow',
    schema: workflowStepInput,
    label: 'Workflow step',
    submitLabel: 'Record step',
    fields: [
      { name: 'workflowId', label: 'Workflow', kind: 'text', initial: 'daily-rebalance' },
      { name: 'executionId', label: 'Run id', kind: 'text', placeholder: 'new run' },
      { name: 'stage', label: 'Stage', kind: 'text', initial: 'ingest' },
      { name: 'status', label: 'Status', kind: 'select', options: ['running', 'completed', 'failed', 'cancelled'] },
      { name: 'progress', label: 'Progress (0–1)', kind: 'number', initial: '0.2' },
    ],
  },
  {
    id: 'rule',
    schema: createAlertRuleInput,
    label: 'Alert rule',
    submitLabel: 'Create rule',
    fields: [
      { name: 'symbol', label: 'Symbol', kind: 'text', initial: 'AAPL' },
      { name: 'condition', label: 'When price is', kind: 'select', options: ['above', 'below'] },
      { name: 'threshold', label: 'Threshold', kind: 'number', placeholder: '200' },
      { name: 'severity', label: 'Severity', kind: 'select', options: ['warning', 'info', 'critical'] },
      { name: 'message', label: 'Message', kind: 'text', placeholder: 'optional' },
    ],
  },
  {
    id: 'signal',
    schema: publishSignalInput,
    label: 'Signal',
    submitLabel: 'Publish signal',
    fields: [
      { name: 'symbol', label: 'Symbol', kind: 'text', initial: 'AAPL' },
      { name: 'kind', label: 'Kind', kind: 'text', initial: 'breakout' },
      { name: 'strength', label: 'Strength (−1–1)', kind: 'number', initial: '0.5' },
      { name: 'source', label: 'Source', kind: 'text', placeholder: 'manual' },
    ],
  },
  {
    id: 'notification',
    schema: pushNotificationInput,
    label: 'Notification',
    submitLabel: 'Push notification',
    fields: [
      { name: 'title', label: 'Title', kind: 'text' },
      { name: 'severity', label: 'Severity', kind: 'select', options: severities },
      { name: 'body', label: 'Body', kind: 'textarea' },
    ],
  },
  {
    id: 'system-alert',
    schema: raiseSystemAlertInput,
    label: 'System alert',
    submitLabel: 'Raise alert',
    fields: [
      { name: 'component', label: 'Component', kind: 'text', initial: 'gateway' },
      { name: 'severity', label: 'Severity', kind: 'select', options: ['warning', 'info', 'critical'] },
      { name: 'message', label: 'Message', kind: 'text' },
    ],
  },
  {
    id: 'metrics',
    schema: recordMetricsInput,
    label: 'Metric',
    submitLabel: 'Record sample',
    fields: [
      { name: 'name', label: 'Name', kind: 'text', initial: 'orders_per_min', path: 'samples.0.name' },
      { name: 'value', label: 'Value', kind: 'number', initial: '1', path: 'samples.0.value' },
      { name: 'labels', label: 'Labels (JSON)', kind: 'json', placeholder: '{"desk":"eq"}', path: 'samples.0.labels' },
    ],
  },
  {
    id: 'custom',
    schema: broadcastCustomInput,
    label: 'Custom event',
    submitLabel: 'Broadcast',
    fields: [
      { name: 'type', label: 'Type', kind: 'text', initial: 'note' },
      { name: 'data', label: 'Data (JSON)', kind: 'json', initial: '{"hello":"desk"}' },
    ],
  },
];

/** The simulator form's schema. */
export const simulatorSchema: InputSchema = simulatorControlInput;

/** The simulator's rate, symbols and seed. */
export const simulatorFields: readonly FieldSpec[] = [
  { name: 'ticksPerSecond', label: 'Ticks/s', kind: 'number', placeholder: 'e.g. 100' },
  { name: 'symbols', label: 'Symbols (comma-separated)', kind: 'list', placeholder: 'AAPL, MSFT' },
  { name: 'seed', label: 'Seed', kind: 'number', placeholder: 'e.g. 7' },
];
