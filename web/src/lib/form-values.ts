import { failureMessage } from './form-errors';

/** How one form field's text becomes part of a mutation's input. */
export type FieldKind = 'text' | 'number' | 'select' | 'checkbox' | 'list' | 'json' | 'textarea';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  /** Choices for `select`. */
  options?: readonly string[];
  placeholder?: string;
  /** The field's starting text (`'true'`/`''` for checkboxes). */
  initial?: string;
  /** Sent as `null` when left empty instead of being left out. */
  nullWhenEmpty?: boolean;
  /** Becomes a nested key: `samples.0.name` → `{ samples: [{ name }] }`. */
  path?: string;
}

export type FormValues = Record<string, string>;

export type ToInputResult = { ok: true; input: Record<string, unknown> } | { ok: false; fieldErrors: Record<string, string> };

/**
 * Turns form text into a mutation input. Empty fields are left out (or `null` when asked); numbers
 * are sent as typed so the server, not the browser, judges them (text that is not a number is sent
 * as text and the server says why it is wrong); lists split on commas; JSON must parse.
 */
export function toInput(fields: readonly FieldSpec[], values: FormValues): ToInputResult {
  const input: Record<string, unknown> = {};
  const fieldErrors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? field.initial ?? '';
    const text = raw.trim();
    let value: unknown;
    if (field.kind === 'checkbox') value = raw === 'true';
    else if (text === '') {
      if (!field.nullWhenEmpty) continue;
      value = null;
    } else if (field.kind === 'number') value = Number.isFinite(Number(text)) ? Number(text) : text;
    else if (field.kind === 'list')
      value = text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
    else if (field.kind === 'json') {
      try {
        value = JSON.parse(text);
      } catch {
        fieldErrors[field.name] = 'not valid JSON';
        continue;
      }
    } else value = field.kind === 'textarea' ? raw : text;
    setPath(input, field.path ?? field.name, value);
  }
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, input };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
    node[part] ??= nextIsIndex ? [] : {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/** Field messages and form messages from a tRPC error whose `data.zodError` is `z.flattenError` output. */
export interface ServerErrors {
  form: string[];
  fields: Record<string, string>;
}

/** Reads a mutation error: validation messages by top-level field, anything else as a form message. */
export function serverErrors(error: unknown): ServerErrors | null {
  if (!error) return null;
  const data = (error as { data?: { zodError?: unknown } }).data;
  const zod = data?.zodError as { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | null | undefined;
  if (zod) {
    const fields: Record<string, string> = {};
    for (const [name, messages] of Object.entries(zod.fieldErrors ?? {})) if (messages?.length) fields[name] = messages.join('; ');
    return { form: zod.formErrors ?? [], fields };
  }
  return { form: [failureMessage(error)], fields: {} };
}

/**
 * Which field shows a server message for the top-level key `key` (the server's flattened errors
 * name only the first part of a path): the one field under that key. When several fields share it
 * (`samples.0.name`, `samples.0.value`) the message cannot be placed and is shown for the form,
 * rather than under a field it may not concern.
 */
export function fieldForError(fields: readonly FieldSpec[], key: string): string | undefined {
  const under = fields.filter((f) => (f.path ?? f.name).split('.')[0] === key);
  return under.length === 1 ? under[0]!.name : undefined;
}
