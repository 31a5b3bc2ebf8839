import { useId, useState, type FormEvent } from 'react';
import { OFFLINE_MESSAGE, validateInput, type InputSchema } from '../../lib/form-errors';
import { fieldForError, serverErrors, toInput, type FieldSpec, type FormValues } from '../../lib/form-values';
import { useLinkLive } from '../../lib/use-link-live';

/** What a submit confirms: a short text, and the event id it refers to (kept out of the text). */
export type Confirmation = string | { text: string; eventId: string | null };

interface FieldFormProps {
  /** Names the form in test ids: `field-<id>-<name>`, `error-<id>-<name>`. */
  id: string;
  fields: readonly FieldSpec[];
  submitLabel: string;
  /** Sends the input; rejects with the server's error. Resolves to a short confirmation. */
  onSubmit: (input: Record<string, unknown>) => Promise<Confirmation>;
  /** The shared schema the server validates this input with: checked before sending, in plain words. */
  schema?: InputSchema;
  /** Clear the fields after a successful submit. */
  resetOnSuccess?: boolean;
}

/**
 * A small form: checked with the server's own schema before sending (messages in plain words next
 * to the field each concerns), the server's messages shown the same way, and nothing sent while
 * the desk is offline.
 */
export function FieldForm({ id, fields, submitLabel, onSubmit, resetOnSuccess, schema }: FieldFormProps) {
  const live = useLinkLive();
  const uid = useId();
  const initial = () => Object.fromEntries(fields.map((f) => [f.name, f.initial ?? (f.kind === 'select' ? (f.options?.[0] ?? '') : '')]));
  const [values, setValues] = useState<FormValues>(initial);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [result, setResult] = useState<{ text: string; eventId: string | null } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    const parsed = toInput(fields, values);
    if (!parsed.ok) {
      setFieldErrors(parsed.fieldErrors);
      setFormErrors([]);
      return;
    }
    const invalid = schema ? validateInput(schema, fields, parsed.input) : null;
    if (invalid) {
      setFieldErrors(invalid.fields);
      setFormErrors(invalid.form);
      return;
    }
    if (!live) {
      setFieldErrors({});
      setFormErrors([OFFLINE_MESSAGE]);
      return;
    }
    setBusy(true);
    try {
      const confirmation = await onSubmit(parsed.input);
      setFieldErrors({});
      setFormErrors([]);
      setResult(typeof confirmation === 'string' ? { text: confirmation, eventId: null } : confirmation);
      if (resetOnSuccess) setValues(initial());
    } catch (error) {
      const errors = serverErrors(error);
      const byField: Record<string, string> = {};
      const rest: string[] = [...(errors?.form ?? [])];
      for (const [key, message] of Object.entries(errors?.fields ?? {})) {
        const name = fieldForError(fields, key);
        if (name) byField[name] = message;
        else rest.push(`${key}: ${message}`);
      }
      setFieldErrors(byField);
      setFormErrors(rest);
    } finally {
      setBusy(false);
    }
  }

  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));

  return (
    <form className="field-form" onSubmit={submit} data-testid={`form-${id}`} noValidate>
      <div className="field-grid">
        {fields.map((field) => {
          const inputId = `${uid}-${field.name}`;
          const error = fieldErrors[field.name];
          const common = {
            id: inputId,
            name: field.name,
            'data-testid': `field-${id}-${field.name}`,
            'aria-invalid': error ? true : undefined,
            'aria-describedby': error ? `${inputId}-error` : undefined,
          };
          const value = values[field.name] ?? '';
          return (
            <div className={`field field-${field.kind}`} key={field.name}>
              <label htmlFor={inputId}>{field.label}</label>
              {field.kind === 'select' ? (
                <select {...common} value={value} onChange={(e) => set(field.name, e.target.value)}>
                  {(field.options ?? []).map((option) => (
                    <option key={option} value={option}>
                      {option || '—'}
                    </option>
                  ))}
                </select>
              ) : field.kind === 'checkbox' ? (
                <input {...common} type="checkbox" checked={value === 'true'} onChange={(e) => set(field.name, String(e.target.checked))} />
              ) : field.kind === 'textarea' || field.kind === 'json' ? (
                <textarea {...common} rows={2} value={value} placeholder={field.placeholder} onChange={(e) => set(field.name, e.target.value)} />
              ) : (
                <input
                  {...common}
                  type="text"
                  inputMode={field.kind === 'number' ? 'decimal' : undefined}
                  value={value}
                  placeholder={field.placeholder}
                  onChange={(e) => set(field.name, e.target.value)}
                />
              )}
              {error ? (
                <span className="field-error" id={`${inputId}-error`} role="alert" data-testid={`error-${id}-${field.name}`}>
                  {error}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      <div className="form-foot">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid={`submit-${id}`}>
          {busy ? 'Sending…' : submitLabel}
        </button>
        {formErrors.length > 0 ? (
          <span className="form-error" role="alert" data-testid={`form-error-${id}`}>
            {formErrors.join('; ')}
          </span>
        ) : null}
        {result ? (
          <span
            className="form-ok"
            role="status"
            data-testid={`result-${id}`}
            data-event-id={result.eventId ?? undefined}
            title={result.eventId ? `event ${result.eventId}` : undefined}
          >
            {result.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
