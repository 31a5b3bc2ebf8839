import { useId, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { OFFLINE_MESSAGE, serverErrors } from '../../lib/form-errors';
import { fieldsResolver, formMessages, type FormInput, type InputSchema } from '../../lib/form-resolver';
import { fieldPath, initialText, type FieldSpec, type FormText } from '../../lib/form-values';
import { useLinkLive } from '../../lib/use-link-live';

/** What a submit confirms: a short text, and the event id it refers to (kept out of the text). */
export type Confirmation = string | { text: string; eventId: string | null };

interface FieldFormProps {
  /** Names the form in test ids: `field-<id>-<name>`, `error-<id>-<name>`. */
  id: string;
  fields: readonly FieldSpec[];
  submitLabel: string;
  /** Sends the input; rejects with the server's error. Resolves to a short confirmation. */
  onSubmit: (input: FormInput) => Promise<Confirmation>;
  /** The shared schema the server validates this input with: checked as the user types, in plain words. */
  schema: InputSchema;
  /** Clear the fields after a successful submit. */
  resetOnSuccess?: boolean;
}

/**
 * A small form on react-hook-form: checked with the server's own schema as each field is left and
 * then as it changes (messages in plain words next to the field each concerns), the server's
 * refusals shown the same way, and nothing sent while the desk is offline.
 */
export function FieldForm({ id, fields, submitLabel, onSubmit, resetOnSuccess, schema }: FieldFormProps) {
  const live = useLinkLive();
  const uid = useId();
  const resolver = useMemo(() => fieldsResolver(fields, schema), [fields, schema]);
  const { register, handleSubmit, setError, reset, formState } = useForm<FormText, unknown, FormInput>({
    resolver,
    defaultValues: initialText(fields),
    mode: 'onTouched',
  });
  const [result, setResult] = useState<{ text: string; eventId: string | null } | null>(null);
  const messages = formMessages(fields, formState.errors);

  const submit = handleSubmit(
    async (input) => {
      setResult(null);
      if (!live) return setError('root.server', { type: 'offline', message: OFFLINE_MESSAGE });
      try {
        const confirmation = await onSubmit(input);
        setResult(typeof confirmation === 'string' ? { text: confirmation, eventId: null } : confirmation);
        if (resetOnSuccess) reset(initialText(fields));
      } catch (error) {
        const refused = serverErrors(fields, error);
        for (const [path, message] of Object.entries(refused.fields)) setError(path, { type: 'server', message });
        if (refused.form.length > 0) setError('root.server', { type: 'server', message: refused.form.join('; ') });
      }
    },
    () => setResult(null),
  );

  return (
    <form className="field-form" onSubmit={(event) => void submit(event)} data-testid={`form-${id}`} noValidate>
      <div className="field-grid">
        {fields.map((field) => {
          const inputId = `${uid}-${field.name}`;
          const error = messages.fields[field.name];
          const common = {
            ...register(fieldPath(field)),
            id: inputId,
            'data-testid': `field-${id}-${field.name}`,
            'aria-invalid': error ? true : undefined,
            'aria-describedby': error ? `${inputId}-error` : undefined,
          };
          return (
            <div className={`field field-${field.kind}`} key={field.name}>
              <label htmlFor={inputId}>{field.label}</label>
              {field.kind === 'select' ? (
                <select {...common}>
                  {(field.options ?? []).map((option) => (
                    <option key={option} value={option}>
                      {option || '—'}
                    </option>
                  ))}
                </select>
              ) : field.kind === 'checkbox' ? (
                <input {...common} type="checkbox" />
              ) : field.kind === 'textarea' || field.kind === 'json' ? (
                <textarea {...common} rows={2} placeholder={field.placeholder} />
              ) : (
                <input {...common} type="text" inputMode={field.kind === 'number' ? 'decimal' : undefined} placeholder={field.placeholder} />
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
        <button type="submit" className="btn btn-primary" disabled={formState.isSubmitting} data-testid={`submit-${id}`}>
          {formState.isSubmitting ? 'Sending…' : submitLabel}
        </button>
        {messages.form.length > 0 ? (
          <span className="form-error" role="alert" data-testid={`form-error-${id}`}>
            {messages.form.join('; ')}
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
