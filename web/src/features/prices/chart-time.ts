const pad = (n: number) => String(n).padStart(2, '0');
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What a time-axis label shows, as the chart's tick mark types number them (year … time with seconds). */
export type TickKind = 0 | 1 | 2 | 3 | 4;

/**
 * A time-axis label in local time (the chart itself would say UTC): the year, the month, the day,
 * `14:05`, or `14:05:30`, for `seconds` since the epoch.
 */
export function axisLabel(seconds: number, kind: TickKind): string {
  const d = new Date(seconds * 1000);
  switch (kind) {
    case 0:
      return String(d.getFullYear());
    case 1:
      return months[d.getMonth()]!;
    case 2:
      return `${d.getDate()} ${months[d.getMonth()]}`;
    case 3:
      return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    case 4:
      return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
}

/** The crosshair's time label in local time: `1 Dec 14:05:30`. */
export function crosshairLabel(seconds: number): string {
  return `${axisLabel(seconds, 2)} ${axisLabel(seconds, 4)}`;
}
