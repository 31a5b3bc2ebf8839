import { skipToken, useQuery } from '@tanstack/react-query';
import { chartFocusKey, type ChartFocus } from './chart-focus';

/** What the price chart was last asked to show (see `useFocusChart`); undefined before any pick. */
export function useChartFocus(): ChartFocus | undefined {
  return useQuery<ChartFocus>({ queryKey: chartFocusKey, queryFn: skipToken, staleTime: Infinity, gcTime: Infinity }).data;
}
