import type { Candle, CandleInterval } from '../../../../../shared/index';
import { readoutOf } from '../chart-marks';

interface ChartReadoutProps {
  symbol: string;
  interval: CandleInterval;
  /** The bar under the cursor, else the newest. */
  bar: Candle | null;
  hovering: boolean;
  onEarlier: () => void;
  onLatest: () => void;
}

/** The chart's bar in words (time, open, high, low, close, volume), buttons to scroll it, and the chart library's credit. */
export function ChartReadout({ symbol, interval, bar, hovering, onEarlier, onLatest }: ChartReadoutProps) {
  const r = bar ? readoutOf(bar) : null;
  return (
    <div className="chart-readout" data-testid="chart-readout" data-hovering={hovering}>
      <p className="chart-ohlc" aria-label={r ? `${symbol} ${interval} bar at ${r.time}: open ${r.open}, high ${r.high}, low ${r.low}, close ${r.close}, volume ${r.volume}` : undefined}>
        <span className="chart-sym">
          {symbol} · {interval}
        </span>
        {r ? (
          <>
            <time data-testid="readout-time">{r.time}</time>
            <span>
              O <b>{r.open}</b>
            </span>
            <span>
              H <b>{r.high}</b>
            </span>
            <span>
              L <b>{r.low}</b>
            </span>
            <span>
              C <b className={r.tone} data-testid="readout-close">{r.close}</b>
            </span>
            <span>
              V <b>{r.volume}</b>
            </span>
          </>
        ) : null}
      </p>
      <span className="chart-scroll">
        <button type="button" className="btn btn-sm btn-ghost" onClick={onEarlier} data-testid="chart-earlier" aria-label="Scroll the chart back in time">
          ◀
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={onLatest} data-testid="chart-latest" aria-label="Scroll the chart to the newest bar">
          ▶|
        </button>
        <a className="chart-credit" href="https://www.tradingview.com/" target="_blank" rel="noopener noreferrer" data-testid="chart-credit">
          TradingView
        </a>
      </span>
    </div>
  );
}
