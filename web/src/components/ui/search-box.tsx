import { useId } from 'react';

interface SearchBoxProps {
  testId: string;
  /** What is searched, for the label ("trades"). */
  label: string;
  value: string;
  onChange: (value: string) => void;
}

/** A search over the rows a panel has loaded (not a filter the server applies). */
export function SearchBox({ testId, label, value, onChange }: SearchBoxProps) {
  const id = useId();
  return (
    <span className="search-box">
      <label htmlFor={id} className="sr-only">
        Search {label}
      </label>
      <input id={id} type="search" placeholder="search" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </span>
  );
}
