import type { z } from 'zod';

/** Issues sent back with a failed input, at most (a batch can raise thousands); `zodError` still has every message. */
export const MAX_INPUT_ISSUES = 100;

/**
 * One input issue as the desk sends it in `error.data.zodIssues`: the full path (keys and array
 * indexes), zod's code and message, and the details a form needs to say why in plain words.
 */
export interface InputIssue {
  path: (string | number)[];
  code: string;
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
  values?: unknown[];
  divisor?: number;
  format?: string;
}

type Details = Partial<Record<'expected' | 'origin' | 'format', string>> &
  Partial<Record<'minimum' | 'maximum' | 'divisor', number | bigint>> & { inclusive?: boolean; values?: readonly unknown[] };

const num = (value: number | bigint | undefined) => (value === undefined ? undefined : Number(value));

/** zod issues as JSON-safe objects: bigint limits become numbers, symbol keys strings, nested union attempts are left out. */
export function inputIssues(issues: readonly z.core.$ZodIssue[]): InputIssue[] {
  return issues.slice(0, MAX_INPUT_ISSUES).map((issue) => {
    const details = issue as Details;
    const out: InputIssue = { path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))), code: issue.code, message: issue.message };
    if (details.expected !== undefined) out.expected = details.expected;
    if (details.origin !== undefined) out.origin = details.origin;
    if (details.format !== undefined) out.format = details.format;
    if (details.minimum !== undefined) out.minimum = num(details.minimum);
    if (details.maximum !== undefined) out.maximum = num(details.maximum);
    if (details.divisor !== undefined) out.divisor = num(details.divisor);
    if (details.inclusive !== undefined) out.inclusive = details.inclusive;
    if (details.values !== undefined) out.values = details.values.slice(0, 50).map((v) => (typeof v === 'bigint' ? Number(v) : v));
    return out;
  });
}
