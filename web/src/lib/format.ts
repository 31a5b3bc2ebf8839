const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
// Formatters are built once: creating one per call (as toLocaleString does) dominates a busy render.
const price4 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** `12,345.67`; `—` for missing values. */
export function formatMoney(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : money.format(value);
}

/** A signed amount: `+1,234.50` / `-12.00` / `0.00`. */
export function formatSigned(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const rounded = Math.round(value * 100) / 100;
  return `${rounded > 0 ? '+' : ''}${money.format(rounded === 0 ? 0 : rounded)}`;
}

/** A price with precision that suits its size: `64,012.5` → `64,012.50`, `0.1234` → `0.1234`. */
export function formatPrice(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return (Math.abs(value) < 1 ? price4 : money).format(value);
}

/** A change in percent, from a ratio or percent as given: `+1.23 %`. */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—';
  const rounded = Math.round(pct * 100) / 100;
  return `${rounded > 0 ? '+' : ''}${(rounded === 0 ? 0 : rounded).toFixed(2)} %`;
}

/** A measured value as given, to at most 3 decimals: `1,234.5`, `0.125`; `—` for missing values. */
export function formatValue(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : plain.format(value);
}

/** `1.2K`, `3.4M`. */
export function formatCompact(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : compact.format(value);
}

/** `14:03:27` in local time. */
export function formatClock(ts: number | null | undefined): string {
  if (ts === null || ts === undefined) return '—';
  const d = new Date(ts);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** `3 s ago`, `2 min ago`, `1 h ago`. */
export function formatAgo(ts: number, now: number): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** `up`, `down` or `same`, to colour a value by its move. */
export function direction(previous: number | undefined, next: number): 'up' | 'down' | 'same' {
  if (previous === undefined || previous === next) return 'same';
  return next > previous ? 'up' : 'down';
}

/** `pos` / `neg` / `flat`, to colour a signed amount. */
export function signClass(value: number | null | undefined): 'pos' | 'neg' | 'flat' {
  if (!value || !Number.isFinite(value)) return 'flat';
  return value > 0 ? 'pos' : 'neg';
}
