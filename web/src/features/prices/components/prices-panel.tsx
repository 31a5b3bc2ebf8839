import { useState } from 'react';
import { Panel, StreamState } from '../../../components/ui/panel';
import { formatPrice } from '../../../lib/format';
import { useLivePrices } from '../hooks/use-live-prices';
import { PriceChart } from './lazy-price-chart';
import { PriceRow } from './price-row';

const noPoints: number[] = [];

/** The watchlist with sparklines and a live chart of the selected symbol. */
export function PricesPanel() {
  const { data, ready, error, history, updatedAt } = useLivePrices();
  const [picked, setPicked] = useState<string | null>(null);
  const ticks = data ?? [];
  const selected = picked ?? ticks[0]?.symbol ?? null;
  const selectedTick = ticks.find((t) => t.symbol === selected);
  return (
    <Panel
      title="Prices"
      testId="panel-prices"
      className="area-prices"
      updatedAt={updatedAt}
      actions={selectedTick ? <span className="muted" data-testid="chart-title">{selectedTick.symbol} {formatPrice(selectedTick.price)}</span> : null}
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
                      onSelect={setPicked}
                    />
                  );
                })}
              </tbody>
            </table>
          </div>
          {selected ? <PriceChart symbol={selected} history={history[selected]} /> : null}
        </div>
      </StreamState>
    </Panel>
  );
}
