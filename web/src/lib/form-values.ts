/** How one form field's text becomes part of a mutation's input. */
export type FieldKind = 'text' | 'number' | 'select' | 'checkbox' | 'list' | 'json' | 'textarea';

export interface FieldSpec {
  /** Names the field in test ids (`field-<form>-<name>`). */
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
  /** Where the value goes in the input, when not at `name`: `samples.0.name` → `{ samples: [{ name }] }`. */
  path?: string;
}

/** The form's text, nested by each field's path as react-hook-form keeps it (`{ samples: [{ value: '3' }] }`). */
export type FormText = Record<string, unknown>;

/** Where a field's value lives, in the form's text and in the input alike. */
export const fieldPath = (field: FieldSpec): string => field.path ?? field.name;

/** The value at a dotted path (`samples.0.value`), or undefined. */
export function valueAt(target: unknown, path: string): unknown {
  let node = target;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Sets the value at a dotted path, making objects (or arrays, before an index) on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
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

/** Each field's starting text (a select's first option unless told), nested by path. */
export function initialText(fields: readonly FieldSpec[]): FormText {
  const text: FormText = {};
  for (const field of fields) {
    const initial = field.initial ?? (field.kind === 'select' ? (field.options?.[0] ?? '') : '');
    setPath(text, fieldPath(field), field.kind === 'checkbox' ? initial === 'true' : initial);
  }
  return text;
}

/** Text turned into an input, and the fields whose text could not be read at all (JSON that does not parse). */
export interface ToInputResult {
  input: Record<string, unknown>;
  unreadable: FieldSpec[];
}

/**
 * Turns form text into a mutation input. Empty fields are left out (or `null` when asked); numbers
 * are sent as typed so the schema, not the browser, judges them (text that is not a number stays
 * text and the schema says why it is wrong); lists split on commas; JSON that does not parse is
 * left out and its field listed as unreadable.
 */
export function toInput(fields: readonly FieldSpec[], values: FormText): ToInputResult {
  const input: Record<string, unknown> = {};
  const unreadable: FieldSpec[] = [];
  for (const field of fields) {
    const at = valueAt(values, fieldPath(field));
    const raw = typeof at === 'string' ? at : typeof at === 'boolean' ? String(at) : '';
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
        unreadable.push(field);
        continue;
      }
    } else value = field.kind === 'textarea' ? raw : text;
    setPath(input, fieldPath(field), value);
  }
  return { input, unreadable };
}
