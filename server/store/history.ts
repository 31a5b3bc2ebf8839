import { TRPCError } from '@trpc/server';
import type { HistoryInput, HistoryPage } from '../../shared/schema/history';
import type { LogTopic } from '../hub/log-topic';
import type { Journal } from '../persist/journal';
import { JournalHistory } from '../persist/history-reader';
import { formatCursor, historyPage, parseCursor, PrunedHistoryError } from './history-pages';
import { layeredSource, memorySource } from './history-sources';
import { HISTORY_TIME_SLACK_MS, idRangeOfTimes } from './history-time';

/** The most items one history page looks at: a filter that matches little gives short pages, not long scans. */
export const HISTORY_MAX_SCAN = 5_000;

const readers = new WeakMap<Journal, JournalHistory>();
const readerOf = (journal: Journal) => readers.get(journal) ?? readers.set(journal, new JournalHistory(journal.db)).get(journal)!;

export interface HistoryOptions {
  /** @default HISTORY_MAX_SCAN */
  maxScan?: number;
  /**
   * How far items' `ts` may lie from their commits' recorded time (see `HISTORY_TIME_SLACK_MS`);
   * null for a topic whose items carry times of their own (metric samples): its time ranges are
   * found by scanning by id, in pages of `maxScan`. @default HISTORY_TIME_SLACK_MS
   */
  timeSlackMs?: number | null;
}

/**
 * A page of `topic`'s history matching `match` and the paging fields of `input`: from the replay
 * buffer where it reaches, from the journal below it, back to retention.
 */
export function readHistory<T extends { ts: number }>(
  journal: Journal | null,
  topic: LogTopic<T>,
  input: HistoryInput,
  match: (item: T) => boolean,
  options: HistoryOptions = {},
): HistoryPage<T> {
  const memory = memorySource(topic.buffer);
  const reader = journal ? readerOf(journal) : null;
  const source = layeredSource(memory, reader ? reader.source<T>(topic.name, journal!.floor) : null);
  const { from, to } = input;
  const inTime = from === undefined && to === undefined ? match : (item: T) => (from === undefined || item.ts >= from) && (to === undefined || item.ts < to) && match(item);
  let before = input.before === undefined ? undefined : Number(input.before);
  let after = input.after === undefined ? undefined : Number(input.after);
  const slack = options.timeSlackMs === undefined ? HISTORY_TIME_SLACK_MS : options.timeSlackMs;
  if (reader && slack !== null && (from !== undefined || to !== undefined)) {
    // The time range narrowed to ids, so a page scans only what may be in it; `inTime` stays exact.
    const range = idRangeOfTimes(reader, from, to, slack);
    if (range.before !== undefined && range.before <= source.floor) return { items: [], next: null, floor: String(source.floor) };
    if (range.before !== undefined) before = Math.min(before ?? range.before, range.before);
    if (range.after !== undefined && range.after > source.floor) after = Math.max(after ?? range.after, range.after);
  }
  try {
    const page = historyPage(source, {
      order: input.order,
      cursor: input.cursor ? parseCursor(input.cursor) : null,
      before,
      after,
      match: inTime,
      limit: input.limit,
      maxScan: options.maxScan ?? HISTORY_MAX_SCAN,
    });
    return {
      items: page.items.map(({ id, item }) => ({ eventId: String(id), item })),
      next: page.next ? formatCursor(page.next) : null,
      floor: String(source.floor),
    };
  } catch (error) {
    if (!(error instanceof PrunedHistoryError)) throw error;
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `${topic.name} history at or before event ${error.floor} is no longer retained (\`${error.field}\` points there): page from the newest, or from \`after: "${error.floor}"\``,
      cause: error,
    });
  }
}
