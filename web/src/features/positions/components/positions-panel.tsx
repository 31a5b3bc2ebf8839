import { memo, useMemo, useState } from 'react';
import type { Position } from '../../../../../shared/index';
import { FlashValue } from '../../../components/ui/flash-value';
import { Panel, StreamState } from '../../../components/ui/panel';
import { leavingRowMs } from '../../../lib/config';
import { formatMoney, formatPrice, formatSigned, signClass } from '../../../lib/format';
import { useLeavingRows } from '../hooks/use-leaving-rows';
import { useLivePositions } from '../hooks/use-live-positions';
import { nextSort, sortRows, type SortDirection } from '../sort-rows';

type Column = 'symbol' | 'side' | 'qty' | 'avgPrice' | 'lastPrice' | 'marketValue' | 'unrealizedPnl';
const COLUMNS: { column: Column; label: string; numeric: boolean }[] = [
  { column: 'symbol', label: 'Symbol', numeric: false },
  { column: 'side', label: 'Side', numeric: false },
  { column: 'qty', label: 'Qty', numeric: true },
  { column: 'avgPrice', label: 'Avg', numeric: true },
  { column: 'lastPrice', label: 'Last', numeric: true },
  { column: 'marketValue', label: 'Value', numeric: true },
  { column: 'unrealizedPnl', label: 'Unrl. P&L', numeric: true },
];
const keyOf = (p: Position) => p.id;

/** Open positions, sortable; a closed position fades out before it leaves. */
export function PositionsPanel() {
  const { data, ready, error, updatedAt } = useLivePositions();
  const [sort, setSort] = useState<{ column: Column; direction: SortDirection }>({ column: 'symbol', direction: 'asc' });
  const leaving = useLeavingRows(data, keyOf, leavingRowMs);
  const rows = useMemo(() => sortRows(data ?? [], sort.column, sort.direction, keyOf), [data, sort]);
  return (
    <Panel title="Positions" testId="panel-positions" className="area-positions" updatedAt={updatedAt} actions={<span className="muted">{rows.length} open</span>}>
      <StreamState error={error} ready={ready} empty={rows.length === 0 && leaving.length === 0} emptyText="No open positions." testId="positions">
        <div className="table-wrap">
          <table className="grid-table" data-testid="positions-table">
            <thead>
              <tr>
                {COLUMNS.map(({ column, label, numeric }) => (
                  <th key={column} className={numeric ? 'num' : undefined} aria-sort={sort.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
                    <button type="button" className="sort-btn" onClick={() => setSort((s) => nextSort(s, column))} data-testid={`sort-${column}`}>
                      {label}
                      <span className="sort-mark" aria-hidden>
                        {sort.column === column ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <PositionRow key={p.id} position={p} leaving={false} />
              ))}
              {leaving.map(({ item }) => (
                <PositionRow key={`leaving-${item.id}`} position={item} leaving />
              ))}
            </tbody>
          </table>
        </div>
      </StreamState>
    </Panel>
  );
}

const PositionRow = memo(function PositionRow({ position: p, leaving }: { position: Position; leaving: boolean }) {
  return (
    <tr className={leaving ? 'leaving' : undefined} data-testid={leaving ? `position-leaving-${p.symbol}` : `position-row-${p.symbol}`} data-id={p.id}>
      <td className="sym">{p.symbol}</td>
      <td>
        <span className={`side side-${p.side}`}>{leaving ? 'closed' : p.side}</span>
      </td>
      <td className="num" data-testid={`position-qty-${p.symbol}`}>
        {leaving ? 0 : p.qty}
      </td>
      <td className="num">{formatPrice(p.avgPrice)}</td>
      <td className="num">
        <FlashValue value={p.lastPrice} text={formatPrice(p.lastPrice)} />
      </td>
      <td className="num">{formatMoney(p.marketValue)}</td>
      <td className={`num ${signClass(p.unrealizedPnl)}`}>{formatSigned(p.unrealizedPnl)}</td>
    </tr>
  );
});
