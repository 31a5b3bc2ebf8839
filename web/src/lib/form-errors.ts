import type { InputIssue } from '../../../shared/input-issues';
import { fieldPath, type FieldSpec } from './form-values';

/** One validation issue as zod raises it (the fields this page reads); `input` only while it is being raised. */
export interface Issue {
  code: string;
  path?: readonly PropertyKey[];
  message?: string;
  input?: unknown;
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  values?: readonly unknown[];
  divisor?: number;
}

const KIND: Record<string, string> = { number: 'a number', string: 'text', int: 'a whole number', boolean: 'yes or no', array: 'a list', object: 'a JSON object' };

/**
 * An issue zod itself worded ("Invalid input: expected string, received undefined"), in plain words
 * for the field labelled `label`. `missing` says whether the value was absent, for issues whose
 * value is no longer at hand (the server's).
 */
export function plainMessage(issue: Issue, label: string, missing: boolean = issue.input === undefined || issue.input === null): string {
  const min = issue.minimum === undefined ? undefined : Number(issue.minimum);
  const max = issue.maximum === undefined ? undefined : Number(issue.maximum);
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return `${label} is required`;
      if (issue.expected === 'int') return 'Enter a whole number';
      return `Enter ${KIND[issue.expected ?? ''] ?? 'a valid value'}`;
    case 'too_small':
      if (issue.origin === 'string') return min !== undefined && min <= 1 ? `${label} is required` : `Use at least ${min} characters`;
      if (issue.origin === 'array') return `Give at least ${min}`;
      return issue.inclusive ? `Must be at least ${min}` : `Must be more than ${min}`;
    case 'too_big':
      if (issue.origin === 'string') return `Use at most ${max} characters`;
      if (issue.origin === 'array') return `Give at most ${max}`;
      return issue.inclusive ? `Must be at most ${max}` : `Must be less than ${max}`;
    case 'invalid_value':
      return `Choose one of: ${(issue.values ?? []).map(String).join(', ')}`;
    case 'not_multiple_of':
      return `Must be a multiple of ${issue.divisor}`;
    case 'invalid_format':
      return 'Not in the expected format';
    default:
      return 'Not a valid value';
  }
}

/**
 * The field an issue belongs to: the one whose path is the issue's path, or the deepest one the
 * issue's path lies inside (`samples.0.labels.desk` → Labels). Undefined for issues about the
 * whole form or about a part no field writes.
 */
export function fieldForIssue(fields: readonly FieldSpec[], path: readonly PropertyKey[]): FieldSpec | undefined {
  const issuePath = path.map(String);
  let best: FieldSpec | undefined;
  let bestDepth = 0;
  for (const field of fields) {
    const parts = fieldPath(field).split('.');
    if (parts.length > issuePath.length || parts.length <= bestDepth) continue;
    if (parts.every((part, i) => part === issuePath[i])) {
      best = field;
      bestDepth = parts.length;
    }
  }
  return best;
}

/** How an issue no field writes is named in the form's message: its path, or "This" for the whole input. */
const pathLabel = (path: readonly PropertyKey[]) => (path.length > 0 ? path.map(String).join('.') : 'This');

/**
 * A zod error map (`schema.parse(input, { error })`) that words zod's own issues plainly, naming
 * the field they belong to. zod asks it only for issues whose schema gave no message of its own,
 * so the schemas' messages ("symbol must be 1-12 letters…") are kept as written.
 */
export function plainErrorMap(fields: readonly FieldSpec[]): (issue: Issue) => string {
  return (issue) => {
    const path = issue.path ?? [];
    // zod words the branches of a union (a JSON field's) with paths relative to the union, so the
    // field is unknown here; the message still shows under the right field.
    if (path.length === 0) return plainMessage(issue, 'A value');
    return plainMessage(issue, fieldForIssue(fields, path)?.label ?? pathLabel(path));
  };
}

/** zod's own wording, as opposed to a message the schema's author wrote. */
const GENERATED = /^(Invalid\b|Too (small|big)\b)/;

/** Messages of a refused call: each under its field (by field path), and the rest for the whole form. */
export interface ServerErrors {
  fields: Record<string, string>;
  form: string[];
}

/**
 * Reads a refused mutation: its input issues (`data.zodIssues`, with full paths) put under the field
 * each concerns and worded plainly; issues no field writes, and any other refusal, for the form.
 */
export function serverErrors(fields: readonly FieldSpec[], error: unknown): ServerErrors {
  const data = (error as { data?: { zodIssues?: InputIssue[] | null; zodError?: { formErrors?: string[] } | null } } | null)?.data;
  const issues = data?.zodIssues;
  if (!issues?.length) {
    const form = data?.zodError?.formErrors?.length ? data.zodError.formErrors : [failureMessage(error)];
    return { fields: {}, form };
  }
  const out: ServerErrors = { fields: {}, form: [] };
  for (const issue of issues) {
    const field = fieldForIssue(fields, issue.path);
    const label = field?.label ?? pathLabel(issue.path);
    const message = GENERATED.test(issue.message) ? plainMessage(issue, label, /received undefined/.test(issue.message)) : issue.message;
    if (field) out.fields[fieldPath(field)] ??= message;
    else out.form.push(issue.path.length === 0 || message.startsWith(label) ? message : `${label}: ${message}`);
  }
  return out;
}

/** What a form says when asked to send while the desk is not live. */
export const OFFLINE_MESSAGE = 'The desk is offline: nothing was sent. Try again once the badge says Live.';

/** What a form says when a call got no answer at all. */
export const UNANSWERED_MESSAGE = 'The desk is offline or did not answer: the change is not confirmed. Try again once the badge says Live.';

/**
 * A failed call in words a user can act on: a request that never got an answer (the page is offline
 * or the desk is down) says so, instead of the browser's "Failed to fetch".
 */
export function failureMessage(error: unknown): string {
  const e = error as { data?: unknown; message?: unknown; cause?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const unanswered = e !== null && typeof e === 'object' && e.data === undefined && (e.cause instanceof TypeError || /Failed to fetch|NetworkError|Load failed|fetch failed/i.test(message));
  return unanswered ? UNANSWERED_MESSAGE : message;
}
