import { memo, useMemo } from 'react';
import type { PriceTick } from '../../../../../shared/index';
import { FlashValue } from '../../../components/ui/flash-value';
import { Sparkline } from '../../../components/ui/sparkline';
import { sparklineLength } from '../../../lib/config';
import { formatPct, formatPrice, signClass } from '../../../lib/format';

interface PriceRowProps {
  tick: PriceTick;
  /** The symbol's recent prices; the sparkline shows the newest few. */
  history: readonly number[];
  selected: boolean;
  onSelect: (symbol: string) => void;
}

/** One watchlist row; re-renders only when its own tick or history changes. */
export const PriceRow = memo(function PriceRow({ tick, history, selected, onSelect }: PriceRowProps) {
  const spark = useMemo(() => history.slice(-sparklineLength), [history]);
  const tone = tick.changePct > 0 ? 'up' : tick.changePct < 0 ? 'down' : 'neutral';
  return (
    <tr className={selected ? 'selected' : undefined} data-testid={`price-row-${tick.symbol}`} aria-selected={selected}>
      <td>
        <button type="button" className="link-btn sym" onClick={() => onSelect(tick.symbol)} data-testid={`select-${tick.symbol}`}>
          {tick.symbol}
        </button>
      </td>
      <td className="num">
        <FlashValue value={tick.price} text={formatPrice(tick.price)} testId={`price-${tick.symbol}`} />
      </td>
      <td className={`num ${signClass(tick.changePct)}`}>{formatPct(tick.changePct)}</td>
      <td className="num muted">{formatPrice(tick.bid)}</td>
      <td className="num muted">{formatPrice(tick.ask)}</td>
      <td className="spark-cell">
        <Sparkline values={spark} tone={tone} testId={`spark-${tick.symbol}`} />
      </td>
    </tr>
  );
});
