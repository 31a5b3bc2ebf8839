/**
 * The rows the deltas tests move through a keyed topic: a field that comes and goes (`note`), a
 * number, an array, a nested object that may be null and a decimal number, so a patch sets,
 * unsets, replaces nested values whole and steps numbers. Tests only.
 */
export interface Row {
  id: string;
  group: 'x' | 'y';
  n: number;
  note?: string;
  tags: number[];
  meta: { v: number } | null;
  /** A price-like number that moves by small decimal steps (compact patches send the step). */
  px?: number;
}

export const keyOf = (row: Row): string => row.id;
