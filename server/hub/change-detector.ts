/**
 * Change detection: a new row is a change only when it is not structurally equal to the current
 * one (`StateTopic.diff`). Structural equality for JSON-like values: key order does not matter,
 * `undefined`-valued keys count as absent, arrays compare element by element.
 */
export function structuralEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!structuralEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let definedInA = 0;
  for (const key in ra) {
    if (ra[key] === undefined) continue;
    definedInA++;
    if (!structuralEqual(ra[key], rb[key])) return false;
  }
  let definedInB = 0;
  for (const key in rb) if (rb[key] !== undefined) definedInB++;
  return definedInA === definedInB;
}
