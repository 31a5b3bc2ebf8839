import { idSchema } from '../../shared/schema/common';
import { createAlertRuleInput } from '../../shared/schema/feeds';
import { alertRulesInput, alertsInput } from '../../shared/schema/stream';
import { allOf, inSet } from '../hub/filter';
import { mutationProcedure, viewerProcedure, router } from '../trpc';
import { atLeast, bySymbols } from './filters';
import { command } from './command';
import { streamProcedure } from './stream-procedure';
import { z } from 'zod';

const byId = z.object({ id: idSchema });

export const alertsRouter = router({
  onRules: streamProcedure(alertRulesInput, (t) => t.alertRules, bySymbols),
  onAlerts: streamProcedure(alertsInput, (t) => t.alerts, (i) =>
    allOf([inSet('symbols', i.symbols, (a) => a.symbol), atLeast(i.minSeverity)]),
  ),

  rules: viewerProcedure.query(({ ctx }) => ctx.desk.topics.alertRules.values()),
  alerts: viewerProcedure.query(({ ctx }) => ctx.desk.topics.alerts.values()),

  createRule: mutationProcedure.input(createAlertRuleInput).mutation(command('alerts.createRule')),
  deleteRule: mutationProcedure.input(byId).mutation(command('alerts.deleteRule')),
  dismiss: mutationProcedure.input(byId).mutation(command('alerts.dismiss')),
  clear: mutationProcedure.mutation(command('alerts.clear')),
});
