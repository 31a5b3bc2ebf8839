import { memo } from 'react';
import { sparklinePoints } from './sparkline-path';

interface SparklineProps {
  values: readonly number[];
  width?: number;
  height?: number;
  tone?: 'up' | 'down' | 'neutral';
  testId?: string;
}

/** A small line of recent values. */
export const Sparkline = memo(function Sparkline({ values, width = 96, height = 24, tone = 'neutral', testId }: SparklineProps) {
  return (
    <svg className={`sparkline sparkline-${tone}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden data-testid={testId}>
      {values.length > 1 ? <polyline points={sparklinePoints(values, width, height)} /> : null}
    </svg>
  );
});
