import { zodResolver } from '@hookform/resolvers/zod';
import { set, type FieldErrors, type FieldValues, type Resolver } from 'react-hook-form';
import type { z } from 'zod';
import { fieldForIssue, plainErrorMap } from './form-errors';
import { fieldPath, toInput, type FieldSpec, type FormText } from './form-values';

/** A shared schema (shared/schema) a form's input is checked with, the one the server checks it with. */
export type InputSchema = z.ZodType<unknown, FieldValues>;

/** What a form sends once its text passes the schema. */
export type FormInput = Record<string, unknown>;

/**
 * A react-hook-form resolver over the server's own schema: the form's text becomes an input (see
 * `toInput`), zod checks it through `zodResolver` with zod's wording replaced by plain words, and
 * each issue lands on the field at its path. The input is sent as typed (not zod's output), so the
 * server applies its own defaults and transforms as for any other client.
 */
export function fieldsResolver(fields: readonly FieldSpec[], schema: InputSchema): Resolver<FormText, unknown, FormInput> {
  const validate = zodResolver<FormInput, unknown, unknown>(schema, { error: plainErrorMap(fields) }, { raw: true });
  return async (values, context, options) => {
    const { input, unreadable } = toInput(fields, values);
    const result = await validate(input, context, options);
    if (unreadable.length === 0) return result;
    const errors: FieldErrors<FormText> = { ...result.errors };
    for (const field of unreadable) set(errors, fieldPath(field), { type: 'json', message: 'Not valid JSON' });
    return { values: {}, errors };
  };
}

/** A form's errors as it shows them: one message per field (by field name) and the rest for the whole form. */
export interface FormMessages {
  fields: Record<string, string>;
  form: string[];
}

/**
 * Every message in react-hook-form's nested errors, with its path. An error is a leaf (`{ type,
 * message, ref }`); a parent's own error sits in its `root` step, left out of the path.
 */
function messagesIn(node: unknown, path: string[], out: [string[], string][]): void {
  if (node === null || typeof node !== 'object') return;
  const error = node as { message?: unknown; type?: unknown };
  if (typeof error.type === 'string' && typeof error.message === 'string') {
    if (error.message !== '') out.push([path, error.message]);
    return;
  }
  for (const [key, child] of Object.entries(node)) messagesIn(child, key === 'root' ? path : [...path, key], out);
}

/**
 * Sorts react-hook-form's errors for display: each under the field its path lies in (the deepest
 * one: `samples.0.value` under Value, not under Name), the first per field; anything no field
 * writes, and `root.server` (a refusal or the offline notice), for the form.
 */
export function formMessages(fields: readonly FieldSpec[], errors: FieldErrors<FormText>): FormMessages {
  const out: FormMessages = { fields: {}, form: [] };
  const { root, ...rest } = errors;
  const found: [string[], string][] = [];
  messagesIn(rest, [], found);
  for (const [path, message] of found) {
    const field = fieldForIssue(fields, path);
    if (field) out.fields[field.name] ??= message;
    else out.form.push(message);
  }
  const server = (root as { server?: { message?: string } } | undefined)?.server?.message;
  if (server) out.form.push(server);
  return out;
}
