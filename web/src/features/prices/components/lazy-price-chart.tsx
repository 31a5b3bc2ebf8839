import { lazy, type ComponentProps, type ReactNode } from 'react';
import { LazyPart } from '../../../components/ui/lazy-part';
import type { PriceChart as PriceChartNow } from './price-chart';

// The chart library is the largest of the page and the chart is below the watchlist: it comes after.
const PriceChartCode = lazy(() => import('./price-chart').then((module) => ({ default: module.PriceChart })));

const frame = (children: ReactNode) => (
  <div className="chart" data-testid="price-chart-loading">
    {children}
  </div>
);

/** The candle chart of one symbol, its code (and lightweight-charts) loaded on first render. */
export function PriceChart(props: ComponentProps<typeof PriceChartNow>) {
  return (
    <LazyPart what="The chart" frame={frame} fallback={frame(<p className="chart-empty">Loading the chart…</p>)}>
      <PriceChartCode {...props} />
    </LazyPart>
  );
}
