import { createAlertRuleInput } from '../../../../shared/schema/feeds';
import type { InputSchema } from '../../lib/form-resolver';
import type { FieldSpec } from '../../lib/form-values';

/** The schema the server validates a new rule with. */
export const ruleSchema: InputSchema = createAlertRuleInput;

/** The create-alert-rule form. */
export const ruleFields: readonly FieldSpec[] = [
  { name: 'symbol', label: 'Symbol', kind: 'text', placeholder: 'AAPL' },
  { name: 'condition', label: 'When price is', kind: 'select', options: ['above', 'below'] },
  { name: 'threshold', label: 'Threshold', kind: 'number', placeholder: '200' },
  { name: 'severity', label: 'Severity', kind: 'select', options: ['warning', 'info', 'critical'] },
  { name: 'message', label: 'Message', kind: 'text', placeholder: 'optional' },
];
