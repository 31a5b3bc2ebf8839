import { useId } from 'react';

interface TextFilterProps {
  /** The control's test id. */
  testId: string;
  /** What is filtered on, for the label and the placeholder ("type", "metric"). */
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Values to suggest. */
  suggestions: readonly string[];
}

/** One filter for a feed (an exact value the subscription filters on), with suggestions and a Clear button. */
export function TextFilter({ testId, label, value, onChange, suggestions }: TextFilterProps) {
  const uid = useId();
  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <label htmlFor={`${uid}-input`} className="sr-only">
        {label}
      </label>
      <input id={`${uid}-input`} list={`${uid}-list`} placeholder={label} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      <datalist id={`${uid}-list`}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {value ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange('')} data-testid={`${testId}-clear`}>
          Clear
        </button>
      ) : null}
    </div>
  );
}
