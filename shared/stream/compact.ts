/**
 * Compact patches (`deltas: 'compact'`): one held row's changed fields as a flat array,
 * `[key, f1, v1, f2, v2, ...]`. A field is named by its place among the held row's field names,
 * sorted (both ends hold the same row, so they count alike); `f >= 0` sets field `f` to `v` as it
 * is, `f < 0` moves the number in field `~f` by the step `v` (`addStep`), exactly: the step is
 * used only when adding it gives back the very number sent. A step of 0 (never a real one: the
 * field changed) repeats the patch's previous step, as fields derived from one another move alike
 * (a position's market value and unrealized P&L). A field the held row lacks is named by its name
 * (a string) with its value.
 */
export type CompactPatch = [key: string, ...fields: unknown[]];

/** Digits after the point of a number's shortest form; NaN for an exponent form or more than 15. */
function decimals(x: number): number {
  const text = String(x);
  const d = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  return text.includes('e') || d > 15 ? Number.NaN : d;
}

/**
 * `held` moved by `step`, as decimals: both scaled to the longer one's digits, added as integers,
 * scaled back. NaN when either has no plain decimal form. The same on every engine (ECMAScript
 * fixes `String(number)`, `Math.round` and IEEE arithmetic), so both ends compute the same number.
 */
export function addStep(held: number, step: number): number {
  const d = Math.max(decimals(held), decimals(step));
  const scale = scaleOf(d);
  return d >= 0 ? (Math.round(held * scale) + Math.round(step * scale)) / scale : Number.NaN;
}

/** 10^d as a product of integers below 2^53, exactly (`**` may round). */
function scaleOf(d: number): number {
  let scale = 1;
  for (let k = d; k > 0; k--) scale *= 10;
  return scale;
}

/** The step from `held` to `next` when it is shorter to send than `next` and adds back to it exactly; else null. */
export function stepOf(held: number, next: number): number | null {
  const d = Math.max(decimals(held), decimals(next));
  if (Number.isNaN(d)) return null;
  const scale = scaleOf(d);
  const a = Math.round(held * scale);
  const b = Math.round(next * scale);
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return null;
  const step = (b - a) / scale;
  // 0 stands for "the previous step" in a patch.
  if (step === 0 || !Object.is(addStep(held, step), next)) return null;
  return String(step).length < String(next).length ? step : null;
}

/** The held row's field names as both ends count them: those with a value, sorted. */
function fieldsOf(row: Record<string, unknown>): string[] {
  return Object.keys(row)
    .filter((name) => row[name] !== undefined)
    .sort();
}

/**
 * The compact form of `set` against `held` (the row the subscriber holds for `key`). Every field
 * of `set` is one the patch changes.
 */
export function compactPatch(key: string, held: Record<string, unknown>, set: Record<string, unknown>): CompactPatch {
  const names = fieldsOf(held);
  const out: CompactPatch = [key];
  let last = 0;
  for (const name in set) {
    const value = set[name];
    const f = names.indexOf(name);
    if (f < 0) {
      out.push(name, value);
      continue;
    }
    const before = held[name];
    const step = typeof before === 'number' && typeof value === 'number' ? stepOf(before, value) : null;
    if (step === null) out.push(f, value);
    else {
      out.push(~f, step === last ? 0 : step);
      last = step;
    }
  }
  return out;
}

/** A held row with a compact patch applied (a new object; the row is not mutated). */
export function applyCompactPatch<T>(row: T, patch: CompactPatch): T {
  const held = row as Record<string, unknown>;
  const names = fieldsOf(held);
  const next = { ...held };
  let last = 0;
  for (let i = 1; i + 1 < patch.length; i += 2) {
    const f = patch[i];
    const value = patch[i + 1];
    if (typeof f === 'string') next[f] = value;
    else if ((f as number) >= 0) next[names[f as number]!] = value;
    else {
      last = value === 0 ? last : (value as number);
      next[names[~(f as number)]!] = addStep(held[names[~(f as number)]!] as number, last);
    }
  }
  return next as T;
}
