import { idSchema } from '../../shared/schema/common';
import { createAlertRuleInput } from '../../shared/schema/feeds';
import { alertRulesInput, alertsInput } from '../../shared/schema/stream';
import { allOf, inSet } from '../hub/filter';
import { mutationProcedure, viewerProcedure, router } from '../trpc';
import { atLeast, bySymbols } from './filters';
import { committed, streamProcedure } from './stream-procedure';
import { z } from 'zod';

const byId = z.object({ id: idSchema });

export const alertsRouter = router({
  onRules: streamProcedure(alertRulesInput, (t) => t.alertRules, bySymbols),
  onAlerts: streamProcedure(alertsInput, (t) => t.alerts, (i) =>
    allOf([inSet('symbols', i.symbols, (a) => a.symbol), atLeast(i.minSeverity)]),
  ),

  rules: viewerProcedure.query(({ ctx }) => ctx.desk.topics.alertRules.values()),
  alerts: viewerProcedure.query(({ ctx }) => ctx.desk.topics.alerts.values()),

  createRule: mutationProcedure.input(createAlertRuleInput).mutation(({ ctx, input, path }) => ctx.desk.once(input.idempotencyKey, path, () => committed(ctx.desk.market.createAlertRule(input)))),
  deleteRule: mutationProcedure.input(byId).mutation(({ ctx, input, path }) => ctx.desk.once(input.idempotencyKey, path, () => committed(ctx.desk.market.deleteAlertRule(input.id)))),
  dismiss: mutationProcedure.input(byId).mutation(({ ctx, input, path }) => ctx.desk.once(input.idempotencyKey, path, () => committed(ctx.desk.market.dismissAlert(input.id)))),
  clear: mutationProcedure.mutation(({ ctx, input, path }) => ctx.desk.once(input.idempotencyKey, path, () => committed(ctx.desk.market.clearAlerts()))),
});
