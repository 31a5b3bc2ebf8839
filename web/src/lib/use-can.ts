import { hasRole, type Role } from './identity';
import { useIdentity } from './use-identity';

/** True when the signed-in role includes `required`; false while checking or refused. */
export function useCan(required: Role): boolean {
  const identity = useIdentity();
  return identity.status === 'signed-in' && hasRole(identity.role, required);
}
