import { identityRecheckMs } from './config';
import { isRefusal } from './identity';
import { trpc } from './trpc';

/** The `system.whoami` query every identity reader shares; asked again every few seconds. */
export function useWhoami() {
  return trpc.system.whoami.useQuery(undefined, {
    refetchInterval: identityRecheckMs,
    staleTime: identityRecheckMs / 2,
    // A refusal is an answer, not a failure to retry.
    retry: (failures, error) => !isRefusal(error) && failures < 2,
  });
}
