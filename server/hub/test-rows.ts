/**
 * The rows the deltas tests move through a keyed topic: a field that comes and goes (`note`), a
 * number, an array and a nested object that may be null, so a patch sets, unsets and replaces
 * nested values whole. Tests only.
 */
export interface Row {
  id: string;
  group: 'x' | 'y';
  n: number;
  note?: string;
  tags: number[];
  meta: { v: number } | null;
}

export const keyOf = (row: Row): string => row.id;
