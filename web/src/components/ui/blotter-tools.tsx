import type { Blotter } from '../../lib/history/use-blotter';
import { ExportCsvButton } from './export-csv-button';
import { SearchBox } from './search-box';
import { SortSelect } from './sort-select';

interface BlotterToolsProps<K extends string> {
  /** Names the controls in test ids: `<id>-search`, `<id>-sort`, `<id>-sort-dir`, `<id>-export`. */
  id: string;
  /** What the rows are, for the controls' names ("trades"). */
  label: string;
  /** The export's file name before its time ("custom-events"). */
  file: string;
  blotter: Blotter<unknown, K>;
  /** What the sort menu calls the feed's own order. */
  unsorted?: string;
}

/**
 * A blotter's search box, sort and Export CSV, on a line of their own in its title bar: there, Tab
 * from the panel body still lands on the list's first row.
 */
export function BlotterTools<K extends string>({ id, label, file, blotter, unsorted }: BlotterToolsProps<K>) {
  return (
    <div className="blotter-tools">
      <SearchBox testId={`${id}-search`} label={label} value={blotter.search} onChange={blotter.setSearch} />
      <SortSelect id={id} label={label} columns={blotter.columns} order={blotter.order} onChange={blotter.setOrder} unsorted={unsorted} />
      <ExportCsvButton testId={`${id}-export`} what={file} label={label} csv={blotter.csv} count={blotter.rows.length} />
    </div>
  );
}
