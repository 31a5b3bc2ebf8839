import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartMaxFps } from '../../../lib/config';
import { useThrottledValue } from '../../../lib/use-throttled-value';
import type { SymbolHistory } from '../price-history';

interface PriceChartProps {
  symbol: string;
  history: SymbolHistory | undefined;
}

/** The plot's height: what the panel's layout leaves the chart's box (its padding aside), 170 px before that is known. */
function heightOf(el: HTMLElement): number {
  const inner = el.clientHeight - 6;
  return inner > 0 ? Math.max(80, inner) : 170;
}

/** A streaming line chart of one symbol: built once per symbol, then fed new points. */
export function PriceChart({ symbol, history: live }: PriceChartProps) {
  const history = useThrottledValue(live, 1000 / chartMaxFps);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(history);
  latest.current = history;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const data = latest.current;
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: heightOf(el),
        legend: { show: false },
        cursor: { y: false, points: { show: false } },
        scales: { x: { time: true } },
        axes: [
          { stroke: '#7d8799', grid: { stroke: '#1f2633', width: 1 }, ticks: { stroke: '#1f2633' } },
          { stroke: '#7d8799', grid: { stroke: '#1f2633', width: 1 }, ticks: { stroke: '#1f2633' }, size: 70 },
        ],
        series: [{}, { label: symbol, stroke: '#4da3ff', width: 1.5, fill: 'rgba(77,163,255,0.08)' }],
      },
      [data?.t ?? [], data?.p ?? []],
      el,
    );
    chart.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: heightOf(el) }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      chart.current = null;
    };
  }, [symbol]);

  useEffect(() => {
    if (history && chart.current) chart.current.setData([history.t, history.p]);
  }, [history]);

  return (
    <div className="chart" ref={host} data-testid="price-chart" data-symbol={symbol} data-points={history?.t.length ?? 0}>
      {!history || history.t.length < 2 ? <p className="chart-empty">Waiting for ticks on {symbol}…</p> : null}
    </div>
  );
}
