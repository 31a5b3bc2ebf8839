import { FieldForm, type Confirmation } from '../../../components/ui/field-form';
import type { FormInput } from '../../../lib/form-resolver';
import { ruleFields, ruleSchema } from '../rule-fields';

/** The create-alert-rule form, on the server's schema. */
export function RuleForm({ onSubmit }: { onSubmit: (input: FormInput) => Promise<Confirmation> }) {
  return <FieldForm id="rule" fields={ruleFields} schema={ruleSchema} submitLabel="Create rule" resetOnSuccess onSubmit={onSubmit} />;
}
