import type { ReactNode } from 'react';

/** A horizontal bar for a 0..1 value (confidence, progress). */
export function Meter({ value, tone = 'accent', label, testId }: { value: number; tone?: string; label?: string; testId?: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <span className={`meter meter-${tone}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={label} data-testid={testId}>
      <span className="meter-fill" style={{ width: `${pct}%` }} />
      <span className="meter-text">{pct}%</span>
    </span>
  );
}

/** A coloured status pill. */
export function Badge({ tone, children, testId }: { tone: string; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}
