import { useEffect, useSyncExternalStore } from 'react';
import { useLive } from './live-context';
import { trpc } from './trpc';
import { useWhoami } from './use-whoami';

/**
 * Asks who this is again whenever the socket opens (a page loaded while the desk was down has no
 * answer yet; a restarted server may have other tokens) and right after the token expires, so an
 * expired session turns into the sign-in screen at once rather than at the next periodic check.
 */
export function useIdentityRechecks(): void {
  const { connection } = useLive();
  const opens = useSyncExternalStore(connection.subscribe, () => connection.get().opens);
  const utils = trpc.useUtils();
  const { data, dataUpdatedAt } = useWhoami();
  useEffect(() => {
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
