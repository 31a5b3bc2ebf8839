import {
  broadcastCustomInput,
  publishSignalInput,
  pushNotificationInput,
  raiseSystemAlertInput,
  recordMetricsInput,
} from '../../shared/schema/feeds';
import { customInput, metricsInput, severityLogInput, signalsInput } from '../../shared/schema/stream';
import { mutationProcedure, viewerProcedure, router } from '../trpc';
import { byMinSeverity, byName, bySymbols, byType } from './filters';
import { command } from './command';
import { streamProcedure } from './stream-procedure';

export const feedsRouter = router({
  onSignals: streamProcedure(signalsInput, (t) => t.signals, bySymbols),
  onNotifications: streamProcedure(severityLogInput, (t) => t.notifications, byMinSeverity),
  onSystemAlerts: streamProcedure(severityLogInput, (t) => t.systemAlerts, byMinSeverity),
  onCustom: streamProcedure(customInput, (t) => t.custom, byType),
  onMetrics: streamProcedure(metricsInput, (t) => t.metrics, byName),

  publishSignal: mutationProcedure.input(publishSignalInput).mutation(command('feeds.publishSignal')),
  pushNotification: mutationProcedure.input(pushNotificationInput).mutation(command('feeds.pushNotification')),
  raiseSystemAlert: mutationProcedure.input(raiseSystemAlertInput).mutation(command('feeds.raiseSystemAlert')),
  broadcastCustom: mutationProcedure.input(broadcastCustomInput).mutation(command('feeds.broadcastCustom')),
  recordMetrics: mutationProcedure.input(recordMetricsInput).mutation(command('feeds.recordMetrics')),
});
