import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { chartFocusKey, nextFocus, type ChartFocus, type TradeFocus } from './chart-focus';

/**
 * Points the price chart at a symbol, or at a trade (its symbol selected, the chart scrolled to
 * the trade and its marker highlighted). Any panel may call it; the chart reads `useChartFocus`.
 */
export function useFocusChart() {
  const queryClient = useQueryClient();
  return useCallback(
    (symbol: string, trade: TradeFocus | null = null) => {
      queryClient.setQueryData<ChartFocus>(chartFocusKey, (previous) => nextFocus(previous, symbol, trade));
    },
    [queryClient],
  );
}
