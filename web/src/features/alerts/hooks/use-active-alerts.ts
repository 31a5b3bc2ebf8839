import { skipToken, useQuery } from '@tanstack/react-query';
import type { Alert } from '../../../../../shared/index';
import { alertsKey } from './use-live-alerts';

/**
 * The active alerts as the Alerts panel's subscription keeps them in the cache, for the header:
 * read without a second subscription of the same stream. Undefined until the first snapshot.
 */
export function useActiveAlerts(): Alert[] | undefined {
  return useQuery<Alert[]>({ queryKey: alertsKey, queryFn: skipToken, staleTime: Infinity, gcTime: 60_000 }).data;
}
