import { downloadText, exportName } from '../../lib/history/download';

interface ExportCsvButtonProps {
  testId: string;
  /** What is exported, for the file name and the button's name ("trades"). */
  what: string;
  /** What the rows are called in the button's name, when not `what` ("custom events"). */
  label?: string | undefined;
  /** The CSV of the rows shown, built when clicked. */
  csv: () => string;
  count: number;
}

/** Downloads the rows a panel shows (loaded, searched and sorted) as CSV. */
export function ExportCsvButton({ testId, what, label = what, csv, count }: ExportCsvButtonProps) {
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      onClick={() => downloadText(exportName(what), csv())}
      disabled={count === 0}
      aria-label={`Export CSV: ${count} ${label}`}
      data-testid={testId}
    >
      Export CSV
    </button>
  );
}
