/**
 * A subscription filter. Subscribers whose filters share a `key` share one hub-side listener:
 * the predicate runs once per event for the whole group, not once per subscriber.
 */
export interface Filter<T> {
  key: string;
  match: (item: T) => boolean;
}

export const matchAll: Filter<never> = { key: '*', match: () => true };

/** Combines per-field conditions; undefined conditions are left out of both key and predicate. */
export function allOf<T>(parts: Array<[name: string, value: unknown, match: (item: T) => boolean] | null>): Filter<T> {
  const active = parts.filter((p): p is [string, unknown, (item: T) => boolean] => p !== null);
  if (active.length === 0) return matchAll as Filter<T>;
  const key = active.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join('&');
  const predicates = active.map(([, , match]) => match);
  return { key, match: (item) => predicates.every((p) => p(item)) };
}

/** A `field in values` condition, or null when no values are given. */
export function inSet<T>(name: string, values: readonly string[] | undefined, pick: (item: T) => string) {
  if (!values || values.length === 0) return null;
  const set = new Set(values);
  return [name, [...set].sort(), (item: T) => set.has(pick(item))] as [string, unknown, (item: T) => boolean];
}

/** A `field === value` condition, or null when no value is given. */
export function equalTo<T>(name: string, value: string | undefined, pick: (item: T) => string | null) {
  if (value === undefined) return null;
  return [name, value, (item: T) => pick(item) === value] as [string, unknown, (item: T) => boolean];
}
