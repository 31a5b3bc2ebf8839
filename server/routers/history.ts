import type { z } from 'zod';
import {
  customHistoryInput,
  decisionsHistoryInput,
  memoryHistoryInput,
  metricsHistoryInput,
  severityHistoryInput,
  signalsHistoryInput,
  tradesHistoryInput,
  type HistoryInput,
} from '../../shared/schema/history';
import type { Filter } from '../hub/filter';
import type { LogTopic } from '../hub/log-topic';
import { readHistory, type HistoryOptions } from '../store/history';
import type { DeskTopics } from '../store/topics';
import { router, viewerProcedure } from '../trpc';
import { byAgentAndSymbols, byMemory, byMinSeverity, byName, bySymbols, byType } from './filters';

/**
 * A paginated query over one log topic's history, with the filters its subscription takes (the
 * same filter builder): newest (or oldest) first, by event id or time, back to retention.
 */
function historyProcedure<S extends z.ZodType<HistoryInput>, T extends { ts: number }>(
  input: S,
  pick: (topics: DeskTopics) => LogTopic<T>,
  filter: (input: z.output<S>) => Filter<T>,
  options: HistoryOptions = {},
) {
  return viewerProcedure.input(input).query(({ ctx, input }) => readHistory(ctx.desk.journal, pick(ctx.desk.topics), input, filter(input as z.output<S>).match, options));
}

/** One query per log topic: a new log topic is one line here (and its input in shared/schema/history.ts). */
export const historyRouter = router({
  trades: historyProcedure(tradesHistoryInput, (t) => t.trades, byAgentAndSymbols),
  decisions: historyProcedure(decisionsHistoryInput, (t) => t.decisions, byAgentAndSymbols),
  signals: historyProcedure(signalsHistoryInput, (t) => t.signals, bySymbols),
  notifications: historyProcedure(severityHistoryInput, (t) => t.notifications, byMinSeverity),
  systemAlerts: historyProcedure(severityHistoryInput, (t) => t.systemAlerts, byMinSeverity),
  custom: historyProcedure(customHistoryInput, (t) => t.custom, byType),
  // A sample may carry its own time, far from when it was recorded: its time ranges are scanned for.
  metrics: historyProcedure(metricsHistoryInput, (t) => t.metrics, byName, { timeSlackMs: null }),
  memories: historyProcedure(memoryHistoryInput, (t) => t.memories, byMemory),
});
