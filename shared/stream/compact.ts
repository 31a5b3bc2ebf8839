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

/** 10^0 … 10^15 as literals (exact; `**` may round). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Digits after the point of a number's shortest form; -1 for an exponent form or more than 15. */
function decimals(x: number): number {
  const text = String(x);
  if (text.includes('e')) return -1;
  const dot = text.indexOf('.');
  const d = dot < 0 ? 0 : text.length - dot - 1;
  return d > 15 ? -1 : d;
}

/**
 * `held` moved by `step`, as decimals: both scaled to the longer one's digits, added as integers,
 * scaled back. NaN when either has no plain decimal form. The same on every engine (ECMAScript
 * fixes `String(number)`, `Math.round` and IEEE arithmetic), so both ends compute the same number.
 */
export function addStep(held: number, step: number): number {
  const dh = decimals(held);
  const ds = decimals(step);
  if (dh < 0 || ds < 0) return Number.NaN;
  const scale = POW10[Math.max(dh, ds)]!;
  return (Math.round(held * scale) + Math.round(step * scale)) / scale;
}

/** The step from `held` to `next` when it is shorter to send than `next` and adds back to it exactly; else null. */
export function stepOf(held: number, next: number): number | null {
  const dh = decimals(held);
  const dn = decimals(next);
  if (dh < 0 || dn < 0) return null;
  const scale = POW10[Math.max(dh, dn)]!;
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
  const names: string[] = [];
  for (const name in row) if (row[name] !== undefined) names.push(name);
  return names.sort();
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
    else if (typeof f !== 'number') continue;
    else if (f >= 0) next[names[f]!] = value;
    else {
      last = value === 0 ? last : (value as number);
      next[names[~f]!] = addStep(held[names[~f]!] as number, last);
    }
  }
  return next as T;
}
