import { useId } from 'react';
import type { SortOrder } from '../../lib/history/rows';

interface SortSelectProps<K extends string> {
  /** Names the controls in test ids: `<id>-sort`, `<id>-sort-dir`. */
  id: string;
  /** What is sorted, for the label ("trades"). */
  label: string;
  columns: ReadonlyArray<{ key: K; label: string }>;
  /** Null: the feed's own order, newest first. */
  order: SortOrder<K> | null;
  onChange: (order: SortOrder<K> | null) => void;
  /** What the menu calls the feed's own order. @default 'Newest first' */
  unsorted?: string | undefined;
}

/** Sorts a panel's rows by one of its columns, either way, or leaves them in the feed's order. */
export function SortSelect<K extends string>({ id, label, columns, order, onChange, unsorted = 'Newest first' }: SortSelectProps<K>) {
  const uid = useId();
  const dir = order?.dir ?? 'desc';
  return (
    <span className="sort-select">
      <label htmlFor={uid} className="sr-only">
        Sort {label} by
      </label>
      <select
        id={uid}
        value={order?.key ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : { key: e.target.value as K, dir })}
        data-testid={`${id}-sort`}
      >
        <option value="">{unsorted}</option>
        {columns.map((c) => (
          <option key={c.key} value={c.key}>
            By {c.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        disabled={order === null}
        onClick={() => order && onChange({ key: order.key, dir: order.dir === 'desc' ? 'asc' : 'desc' })}
        data-testid={`${id}-sort-dir`}
        data-dir={order?.dir ?? ''}
      >
        {dir === 'desc' ? 'Desc' : 'Asc'}
        <span aria-hidden="true">{dir === 'desc' ? ' ▼' : ' ▲'}</span>
      </button>
    </span>
  );
}
