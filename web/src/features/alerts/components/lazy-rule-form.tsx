import { lazy, type ComponentProps } from 'react';
import { LazyPart } from '../../../components/ui/lazy-part';
import type { RuleForm as RuleFormNow } from './rule-form';

// The form brings react-hook-form and the rule's zod schema; most visits never open it.
const RuleFormCode = lazy(() => import('./rule-form').then((module) => ({ default: module.RuleForm })));

/** The create-alert-rule form, its code loaded when the rules are first opened. */
export function RuleForm(props: ComponentProps<typeof RuleFormNow>) {
  return (
    <LazyPart what="The rule form" fallback={<p className="state" data-testid="rule-form-loading">Loading the form…</p>}>
      <RuleFormCode {...props} />
    </LazyPart>
  );
}
