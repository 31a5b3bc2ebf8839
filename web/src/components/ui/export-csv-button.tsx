import { useState } from 'react';

interface ExportCsvButtonProps {
  testId: string;
  /** What is exported, for the file name and the button's name ("trades"). */
  what: string;
  /** What the rows are called in the button's name, when not `what` ("custom events"). */
  label?: string | undefined;
  /** The CSV of the rows shown, built when clicked. */
  csv: () => Promise<string>;
  count: number;
}

/**
 * Downloads the rows a panel shows (loaded, searched and sorted) as CSV. The export's code is
 * fetched on the first click; if it cannot be (the desk's server went away), the button says so.
 */
export function ExportCsvButton({ testId, what, label = what, csv, count }: ExportCsvButtonProps) {
  const [failed, setFailed] = useState<string | null>(null);
  const exportRows = async () => {
    try {
      const [{ downloadText, exportName }, text] = await Promise.all([import('../../lib/history/download'), csv()]);
      downloadText(exportName(what), text);
      setFailed(null);
    } catch (error) {
      setFailed(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      onClick={() => void exportRows()}
      disabled={count === 0}
      aria-label={failed ? `Export CSV of ${count} ${label} failed: ${failed}. Try again` : `Export CSV: ${count} ${label}`}
      title={failed ? `Could not export: ${failed}` : undefined}
      data-testid={testId}
      data-failed={failed !== null}
    >
      {failed ? 'Export failed' : 'Export CSV'}
    </button>
  );
}
