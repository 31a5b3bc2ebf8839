import { TRPCError } from '@trpc/server';
import { idSchema } from '../../shared/schema/common';
import { clientKindSchema, type ClientKind } from '../../shared/schema/presence';
import { hasRole, type Role } from '../auth/tokens';

/** What a connection says of itself in its connection params. */
export interface Claim {
  kind: ClientKind;
  /** The agent it speaks for: honoured only for a token that may act for agents (operator and up). */
  agentId: string | null;
}

/**
 * Reads `kind` (default `script`) and `agentId` from a connection's params. A malformed value is a
 * BAD_REQUEST; an `agentId` from a caller below operator is not a claim (it could not register or
 * answer as the agent anyway, and must not be able to mark one offline by disconnecting).
 */
export function claimOf(params: Record<string, string | undefined> | null, role: Role | null): Claim {
  const kind = clientKindSchema.safeParse(params?.kind ?? 'script');
  if (!kind.success) throw new TRPCError({ code: 'BAD_REQUEST', message: `connection param kind must be one of ${clientKindSchema.options.join(', ')}` });
  const rawAgentId = params?.agentId;
  if (rawAgentId === undefined) return { kind: kind.data, agentId: null };
  const agentId = idSchema.safeParse(rawAgentId);
  if (!agentId.success) throw new TRPCError({ code: 'BAD_REQUEST', message: `connection param agentId: ${agentId.error.issues[0]!.message}` });
  return { kind: kind.data, agentId: role !== null && hasRole(role, 'operator') ? agentId.data : null };
}
