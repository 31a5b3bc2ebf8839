import type { Severity } from '../../../../shared/index';

/** How many active alerts there are, in all and by severity. */
export interface AlertCounts {
  total: number;
  critical: number;
  warning: number;
  info: number;
}

/** Counts active alerts by severity. */
export function countAlerts(alerts: ReadonlyArray<{ severity: Severity }>): AlertCounts {
  const counts: AlertCounts = { total: alerts.length, critical: 0, warning: 0, info: 0 };
  for (const alert of alerts) counts[alert.severity]++;
  return counts;
}

/** The tab title: the count first (tabs cut titles short), critical ones named: `(2 critical · 5) livedesk`. */
export function titleWithAlerts(base: string, counts: AlertCounts): string {
  if (counts.total === 0) return base;
  return counts.critical > 0 ? `(${counts.critical} critical · ${counts.total}) ${base}` : `(${counts.total}) ${base}`;
}

/**
 * Tells which rows are new since the last look. The first look only takes note of what is there
 * (a page opened on a desk with alerts already up does not announce each of them again); it
 * remembers the ids of the current rows only, so it stays as small as the list.
 */
export function createArrivalWatch<T extends { id: string }>() {
  let seen: Set<string> | null = null;
  return {
    /** The rows of `items` not present at the previous call; none on the first call. */
    arrived(items: readonly T[]): T[] {
      const before = seen;
      seen = new Set(items.map((item) => item.id));
      return before === null ? [] : items.filter((item) => !before.has(item.id));
    },
  };
}
