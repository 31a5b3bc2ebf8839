import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { identityRecheckMs } from './config';
import { hasRole, identityOf, isRefusal, type Identity, type Role } from './identity';
import { useLive } from './live-context';
import { useSession } from './session-context';
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

/** Who the desk says this page is: checking, refused (no or a bad token) or signed in with a role. */
export function useIdentity(): Identity {
  const { hasToken } = useSession();
  const { data, error } = useWhoami();
  return useMemo(() => identityOf({ data, error }, hasToken), [data, error, hasToken]);
}

/** True when the signed-in role includes `required`; false while checking or refused. */
export function useCan(required: Role): boolean {
  const identity = useIdentity();
  return identity.status === 'signed-in' && hasRole(identity.role, required);
}

/**
 * Asks who this is again whenever the socket reopens (the server may have restarted with other
 * tokens) and right after the token expires, so an expired session turns into the sign-in screen
 * at once rather than at the next periodic check.
 */
export function useIdentityRechecks(): void {
  const { connection } = useLive();
  const opens = useSyncExternalStore(connection.subscribe, () => connection.get().opens);
  const utils = trpc.useUtils();
  const { data, dataUpdatedAt } = useWhoami();
  useEffect(() => {
    // The first open counts too: a page loaded while the desk was down has not had an answer yet.
    if (opens > 0) void utils.system.whoami.invalidate();
  }, [opens, utils]);
  const expiresAt = data?.expiresAt ?? null;
  const serverTime = data?.serverTime;
  useEffect(() => {
    if (expiresAt === null || serverTime === undefined) return;
    // The expiry is on the server's clock; wait for it on ours.
    const inMs = expiresAt - serverTime - (Date.now() - dataUpdatedAt) + 250;
    const timer = setTimeout(() => void utils.system.whoami.invalidate(), Math.max(0, Math.min(inMs, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [expiresAt, serverTime, dataUpdatedAt, utils]);
}
