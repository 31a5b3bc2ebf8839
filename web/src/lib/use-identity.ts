import { useMemo } from 'react';
import { identityOf, type Identity } from './identity';
import { useSession } from './session-context';
import { useWhoami } from './use-whoami';

/** Who the desk says this page is: checking, refused (no or a bad token) or signed in with a role. */
export function useIdentity(): Identity {
  const { hasToken } = useSession();
  const { data, error } = useWhoami();
  return useMemo(() => identityOf({ data, error }, hasToken), [data, error, hasToken]);
}
