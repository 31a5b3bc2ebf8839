import { healthInput, presenceInput, statsInput } from '../../shared/schema/stream';
import { auditInput, revokeTokenInput, simulatorControlInput } from '../../shared/schema/system';
import { adminMutationProcedure, adminProcedure, operatorProcedure, router, takeAuditScope, viewerProcedure } from '../trpc';
import { command } from './command';
import { derivedProcedure } from './stream-procedure';
import { readStats } from '../stats';

export const systemRouter = router({
  onHealth: derivedProcedure(healthInput, (t) => t.health),
  onStats: derivedProcedure(statsInput, (t) => t.stats, adminProcedure),
  /** Who is connected (dashboards, agents, scripts), with role and since when: it names callers, so admins only. */
  onPresence: derivedProcedure(presenceInput, (t) => t.presence, adminProcedure),

  /** A fresh reading; its `lastEventId` is a valid resume point for every stream. */
  health: viewerProcedure.query(({ ctx }) => ctx.desk.topics.health.refresh()!),
  /** Who the caller's token says it is, so a client can show its role and offer only what it may do. */
  whoami: viewerProcedure.query(({ ctx }) => {
    const { role, name, expiresAt } = ctx.caller!;
    return { role, name, expiresAt, serverTime: Date.now() };
  }),
  // The app's reading (with the cluster's instances, in cluster mode) when it has one.
  stats: adminProcedure.query(({ ctx }) => ctx.desk.topics.stats.refresh() ?? readStats(ctx.desk, ctx.connections(), ctx.rejected)),
  presence: adminProcedure.query(({ ctx }) => ctx.desk.topics.presence.refresh()!),
  simulator: viewerProcedure.query(({ ctx }) => ctx.sim.status),
  /** Starts/stops the simulator and sets its rate, symbols and seed. */
  controlSimulator: operatorProcedure.input(simulatorControlInput).mutation(({ ctx, input }) => ctx.sim.configure(takeAuditScope(input).input)),

  /** The audit log of mutations, newest first, a page at a time. */
  audit: adminProcedure.input(auditInput).query(({ ctx, input }) => ctx.audit.page(input)),
  /** Revoked token ids and names. */
  revocations: adminProcedure.query(({ ctx }) => ctx.desk.revocations.list()),
  /** Refuses a token id or holder name from now on and closes its connections (on every instance). */
  revokeToken: adminMutationProcedure.input(revokeTokenInput).mutation(command('system.revokeToken', (ctx) => ({ by: ctx.caller?.id ?? 'unknown' }))),
});
