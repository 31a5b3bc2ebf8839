import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { EquitySample, Portfolio } from '../../../../../shared/index';
import { trpc } from '../../../lib/trpc';
import { useAsOf } from '../../../lib/use-as-of';
import { equityRange, keepSamples, liveCurve, sampleOf } from '../equity-curve';

/** How often the stored history is asked again: it corrects what a conflated live stream missed. */
const REFETCH_MS = 30_000;

/**
 * The portfolio's curve over the last `rangeMs` (null: all kept): `market.equityHistory` on first
 * load and every 30 s, extended in between by each `portfolio` the live stream brings. While
 * replaying, "now" is the replay's time: the history ends there and the replayed stream extends it.
 */
export function useEquityCurve(portfolio: Portfolio | undefined, rangeMs: number | null) {
  const utils = trpc.useUtils();
  const { asOf, now, key } = useAsOf();
  const query = useQuery({
    queryKey: ['market.equityHistory', rangeMs, key],
    queryFn: () => utils.client.market.equityHistory.query(equityRange(asOf(), rangeMs, Date.now())),
    staleTime: REFETCH_MS,
    refetchInterval: REFETCH_MS,
  });
  const [samples, setSamples] = useState<EquitySample[]>([]);
  const coveredTo = query.data?.to ?? Number.NEGATIVE_INFINITY;
  useEffect(() => {
    if (portfolio) setSamples((kept) => keepSamples(kept, sampleOf(portfolio), coveredTo));
  }, [portfolio, coveredTo]);
  const view = useMemo(
    () => (query.data ? liveCurve(query.data, samples, rangeMs === null ? null : now() - rangeMs) : null),
    [query.data, samples, rangeMs, now],
  );
  return { view, error: query.error ? query.error.message : null };
}
