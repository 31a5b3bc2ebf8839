import type { FieldSpec } from './form-values';

/** One validation issue as zod reports it (the fields this page reads). */
export interface Issue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  values?: readonly unknown[];
  divisor?: number;
}

/** Something that validates like a zod schema. */
export interface InputSchema {
  safeParse(input: unknown): { success: true } | { success: false; error: { issues: readonly Issue[] } };
}

/** zod's own wording ("Invalid input: expected string, received undefined"), as opposed to a message the schema's author wrote. */
const GENERATED = /^(Invalid\b|Too (small|big)\b)/;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

const KIND: Record<string, string> = { number: 'a number', string: 'text', int: 'a whole number', boolean: 'yes or no', array: 'a list', object: 'a JSON object' };

/** An issue in plain words, for the field labelled `label`; a message the schema's author wrote is kept as it is. */
export function plainMessage(issue: Issue, label: string, input: unknown): string {
  if (!GENERATED.test(issue.message)) return issue.message;
  const value = valueAt(input, issue.path);
  const min = issue.minimum === undefined ? undefined : Number(issue.minimum);
  const max = issue.maximum === undefined ? undefined : Number(issue.maximum);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined || value === null) return `${label} is required`;
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
    const parts = (field.path ?? field.name).split('.');
    if (parts.length > issuePath.length || parts.length <= bestDepth) continue;
    if (parts.every((part, i) => part === issuePath[i])) {
      best = field;
      bestDepth = parts.length;
    }
  }
  return best;
}

/** Validates `input` with the form's schema: plain messages by field name, and the rest for the form. */
export function validateInput(schema: InputSchema, fields: readonly FieldSpec[], input: unknown): { fields: Record<string, string>; form: string[] } | null {
  const result = schema.safeParse(input);
  if (result.success) return null;
  const byField: Record<string, string> = {};
  const form: string[] = [];
  for (const issue of result.error.issues) {
    const field = fieldForIssue(fields, issue.path);
    if (field) byField[field.name] ??= plainMessage(issue, field.label, input);
    else form.push(plainMessage(issue, issue.path.length > 0 ? issue.path.map(String).join('.') : 'This', input));
  }
  return { fields: byField, form };
}

/**
 * A failed call in words a user can act on: a request that never got an answer (the page is offline
 * or the desk is down) says so, instead of the browser's "Failed to fetch".
 */
export function failureMessage(error: unknown): string {
  const e = error as { data?: unknown; message?: unknown; cause?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const unanswered = e !== null && typeof e === 'object' && e.data === undefined && (e.cause instanceof TypeError || /Failed to fetch|NetworkError|Load failed|fetch failed/i.test(message));
  return unanswered ? 'The desk did not answer (offline?): the change is not confirmed. Try again once the badge says Live.' : message;
}

/** What a form says when asked to send while the desk is not live. */
export const OFFLINE_MESSAGE = 'The desk is offline: nothing was sent. Try again once the badge says Live.';
