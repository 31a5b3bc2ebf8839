import { useState } from 'react';
import type { Portfolio } from '../../../../../shared/index';
import { formatMoney, formatPct, formatSigned, signClass } from '../../../lib/format';
import { curveGeometry } from '../equity-curve';
import { useEquityCurve } from '../hooks/use-equity-curve';

const RANGES = [
  { id: '1h', label: '1 hour', ms: 3600_000 },
  { id: '1d', label: '1 day', ms: 24 * 3600_000 },
  { id: '1w', label: '1 week', ms: 7 * 24 * 3600_000 },
  { id: 'all', label: 'all kept', ms: null },
] as const;
type RangeId = (typeof RANGES)[number]['id'];

/** The chart's drawing box; the SVG stretches it to the space it has. */
const W = 300;
const H = 60;

interface EquityCurveProps {
  /** The live portfolio (from `market.onPortfolio`): each new one extends the curve. */
  portfolio: Portfolio | undefined;
}

/** The portfolio's equity over time, its running peak, drawdown and the UTC day's P&L. */
export function EquityCurve({ portfolio }: EquityCurveProps) {
  const [rangeId, setRangeId] = useState<RangeId>('1h');
  const range = RANGES.find((r) => r.id === rangeId)!;
  const { view, error } = useEquityCurve(portfolio, range.ms);
  const points = view?.points ?? [];
  const { line, peak } = curveGeometry(points, W, H);
  const s = view?.summary;
  const first = points[0];
  const last = points.at(-1);
  const label = last && first
    ? `Equity over ${range.label}: from ${formatMoney(first.equity)} to ${formatMoney(last.equity)}, peak ${formatMoney(s?.peak)}`
    : `Equity over ${range.label}: no history yet`;
  return (
    <div className="equity" data-testid="equity">
      <div className="equity-figures">
        <Figure label="Drawdown" value={s?.drawdown} pct={s?.drawdownPct} testId="equity-drawdown" />
        <Figure label="Max drawdown" value={s?.maxDrawdown} pct={s?.maxDrawdownPct} testId="equity-max-drawdown" />
        <Figure label="Day P&L (UTC)" value={s?.dayPnl ?? null} testId="equity-day-pnl" />
      </div>
      <select className="equity-range" aria-label="Equity curve range" value={rangeId} onChange={(e) => setRangeId(e.target.value as RangeId)} data-testid="equity-range">
        {RANGES.map((r) => (
          <option key={r.id} value={r.id}>
            {r.id}
          </option>
        ))}
      </select>
      {error ? (
        <p className="state state-error" role="alert" data-testid="equity-error">
          {error}
        </p>
      ) : (
        <svg
          className="equity-chart"
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={label}
          data-testid="equity-curve"
          data-points={points.length}
          data-resolution={view?.resolution ?? ''}
          data-last-ts={last?.ts ?? ''}
          data-last-equity={last?.equity ?? ''}
        >
          {points.length > 1 ? (
            <>
              <polyline className="equity-peak" points={peak} vectorEffect="non-scaling-stroke" />
              <polyline className="equity-line" points={line} vectorEffect="non-scaling-stroke" />
            </>
          ) : null}
        </svg>
      )}
    </div>
  );
}

interface FigureProps {
  label: string;
  value: number | null | undefined;
  pct?: number | undefined;
  testId: string;
}

function Figure({ label, value, pct, testId }: FigureProps) {
  return (
    <span className="equity-figure">
      <span className="kpi-label">{label}</span>{' '}
      <span className={`num ${signClass(value)}`} data-testid={testId} data-value={value ?? ''}>
        {formatSigned(value)}
        {pct !== undefined && value ? ` (${formatPct(pct * 100)})` : ''}
      </span>
    </span>
  );
}
