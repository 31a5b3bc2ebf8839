import {
  broadcastCustomInput,
  publishSignalInput,
  pushNotificationInput,
  raiseSystemAlertInput,
  recordMetricsInput,
} from '../../shared/schema/feeds';
import { customInput, metricsInput, severityLogInput, signalsInput } from '../../shared/schema/stream';
import { allOf, equalTo } from '../hub/filter';
import { mutationProcedure, viewerProcedure, router } from '../trpc';
import { atLeast, bySymbols } from './filters';
import { command } from './command';
import { streamProcedure } from './stream-procedure';

export const feedsRouter = router({
  onSignals: streamProcedure(signalsInput, (t) => t.signals, bySymbols),
  onNotifications: streamProcedure(severityLogInput, (t) => t.notifications, (i) => allOf([atLeast(i.minSeverity)])),
  onSystemAlerts: streamProcedure(severityLogInput, (t) => t.systemAlerts, (i) => allOf([atLeast(i.minSeverity)])),
  onCustom: streamProcedure(customInput, (t) => t.custom, (i) => allOf([equalTo('type', i.type, (e) => e.type)])),
  onMetrics: streamProcedure(metricsInput, (t) => t.metrics, (i) => allOf([equalTo('name', i.name, (m) => m.name)])),

  publishSignal: mutationProcedure.input(publishSignalInput).mutation(command('feeds.publishSignal')),
  pushNotification: mutationProcedure.input(pushNotificationInput).mutation(command('feeds.pushNotification')),
  raiseSystemAlert: mutationProcedure.input(raiseSystemAlertInput).mutation(command('feeds.raiseSystemAlert')),
  broadcastCustom: mutationProcedure.input(broadcastCustomInput).mutation(command('feeds.broadcastCustom')),
  recordMetrics: mutationProcedure.input(recordMetricsInput).mutation(command('feeds.recordMetrics')),
});
