import { useState } from 'react';
import type { CandleInterval } from '../../../../../shared/index';
import { Panel, StreamState } from '../../../components/ui/panel';
import { formatPrice } from '../../../lib/format';
import { useChartFocus } from '../../../lib/use-chart-focus';
import { useFocusChart } from '../../../lib/use-focus-chart';
import { useLivePrices } from '../hooks/use-live-prices';
import { PriceChart } from './lazy-price-chart';
import { PriceRow } from './price-row';

const noPoints: number[] = [];
const timeframes: CandleInterval[] = ['1s', '1m', '5m', '1h'];

/**
 * The watchlist with sparklines and a candle chart of the selected symbol: picked in the list, or
 * by picking a trade anywhere on the page (`useFocusChart`).
 */
export function PricesPanel() {
  const { data, ready, error, history, updatedAt } = useLivePrices();
  const focus = useChartFocus();
  const pick = useFocusChart();
  const ticks = data ?? [];
  const selected = focus?.symbol ?? ticks[0]?.symbol ?? null;
  const selectedTick = ticks.find((t) => t.symbol === selected);
  const [timeframe, setTimeframe] = useState<CandleInterval>('1m');
  return (
    <Panel
      title="Prices"
      testId="panel-prices"
      className="area-prices"
      updatedAt={updatedAt}
      actions={
        selectedTick ? (
          <>
            <span className="muted" data-testid="chart-title">{selectedTick.symbol} {formatPrice(selectedTick.price)}</span>
            <span className="timeframes" role="group" aria-label="Chart timeframe" data-testid="chart-timeframes">
              {timeframes.map((tf) => (
                <button key={tf} type="button" className={`btn btn-sm${tf === timeframe ? ' btn-primary' : ' btn-ghost'}`} aria-pressed={tf === timeframe} onClick={() => setTimeframe(tf)}>
                  {tf}
                </button>
              ))}
            </span>
          </>
        ) : null
      }
    >
      <StreamState error={error} ready={ready} empty={ticks.length === 0} emptyText="No prices yet. Start the simulator or send a tick." testId="prices">
        <div className="prices-layout">
          <div className="table-wrap">
            <table className="grid-table fixed" data-testid="watchlist">
              <thead>
                <tr>
                  <th>Symbol</th>
                  <th className="num">Last</th>
                  <th className="num">Chg</th>
                  <th className="num">Bid</th>
                  <th className="num">Ask</th>
                  <th>Trend</th>
                </tr>
              </thead>
              <tbody>
                {ticks.map((tick) => {
                  return (
                    <PriceRow
                      key={tick.symbol}
                      tick={tick}
                      history={history[tick.symbol]?.p ?? noPoints}
                      selected={tick.symbol === selected}
                      onSelect={pick}
                    />
                  );
                })}
              </tbody>
            </table>
          </div>
          {selected ? <PriceChart symbol={selected} interval={timeframe} focus={focus} /> : null}
        </div>
      </StreamState>
    </Panel>
  );
}
