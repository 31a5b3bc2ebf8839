import type { DeskCustomEvent } from '../../../../shared/index';
import type { BlotterSpec } from '../../lib/history/use-blotter';

/** The columns the custom events blotter sorts by. */
export type CustomColumn = 'ts' | 'type';

/** Custom events: searched in id, type and the data's JSON; sorted by time or type. */
export const CUSTOM_BLOTTER: BlotterSpec<DeskCustomEvent, CustomColumn> = {
  text: (e) => `${e.id} ${e.type} ${JSON.stringify(e.data)}`,
  columns: [
    { key: 'ts', label: 'Time' },
    { key: 'type', label: 'Type' },
  ],
  value: (e, column) => (column === 'ts' ? e.ts : e.type),
  csv: (rows) => import('./custom-csv').then((m) => m.customEventsCsv(rows)),
};
