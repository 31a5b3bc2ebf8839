import { z } from 'zod';
import { eventIdSchema, timestampSchema } from './common.js';
import { customInput, decisionsInput, memoryInput, metricsInput, severityLogInput, signalsInput, tradesInput } from './stream.js';

/** The most items one history page holds. */
export const HISTORY_MAX_LIMIT = 500;

/**
 * Where a page stopped: `<eventId>:<index>`, the event id of the commit and the item's index among
 * that commit's items of the topic (a commit can append several). Opaque to clients: pass a page's
 * `next` back as `cursor`, with the same other fields.
 */
export const historyCursorSchema = z.string().regex(/^\d{1,16}:\d{1,6}$/, 'cursor must be a page\'s `next` (eventId:index)');

const historyFields = {
  /** A page's `next`, to continue where it stopped (the other fields must stay the same). */
  cursor: historyCursorSchema.nullish(),
  /** Only events older than this event id (exclusive). */
  before: eventIdSchema.optional(),
  /** Only events newer than this event id (exclusive). */
  after: eventIdSchema.optional(),
  /** Only items whose `ts` is at or after this time (ms). */
  from: timestampSchema.optional(),
  /** Only items whose `ts` is before this time (ms, exclusive). */
  to: timestampSchema.optional(),
  /** `newest`: newest first, paging back; `oldest`: oldest first, paging forward. @default 'newest' */
  order: z.enum(['newest', 'oldest']).default('newest'),
  /** Items per page. @default 100 */
  limit: z.number().int().min(1).max(HISTORY_MAX_LIMIT).default(100),
};

/** The fields of a subscription's input that are about the stream, not about which items match. */
type StreamOnly = 'lastEventId' | 'limit';

/**
 * A history query's input: the filters of the topic's subscription (`stream`), without its stream
 * options, plus the paging fields. Bad combinations (`from` after `to`, `after` past `before`) are
 * refused with the field they are about.
 */
export function historyInputOf<S extends z.ZodRawShape>(stream: z.ZodDefault<z.ZodObject<S>>) {
  const { lastEventId: _lastEventId, limit: _limit, ...filters } = stream.unwrap().shape;
  return z
    .object({ ...(filters as Omit<S, StreamOnly>), ...historyFields })
    .superRefine((input, ctx) => {
      const { from, to, before, after } = input as { from?: number; to?: number; before?: string; after?: string };
      if (from !== undefined && to !== undefined && from >= to) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
      }
      if (before !== undefined && after !== undefined && Number(after) >= Number(before)) {
        ctx.addIssue({ code: 'custom', path: ['after'], message: '`after` must be an older event id than `before`' });
      }
    })
    // Every field is optional, so no input at all is the newest page of everything.
    .prefault({} as never);
}

export const tradesHistoryInput = historyInputOf(tradesInput);
export const decisionsHistoryInput = historyInputOf(decisionsInput);
export const signalsHistoryInput = historyInputOf(signalsInput);
export const severityHistoryInput = historyInputOf(severityLogInput);
export const customHistoryInput = historyInputOf(customInput);
export const metricsHistoryInput = historyInputOf(metricsInput);
export const memoryHistoryInput = historyInputOf(memoryInput);

/** The paging fields of every history query's input, as parsed. */
export type HistoryInput = z.output<z.ZodObject<typeof historyFields>>;

/** One event of a page, with the id of the commit that appended it. */
export interface HistoryItem<T> {
  eventId: string;
  item: T;
}

/**
 * A page of a log topic's history. `next` is the `cursor` of the page after it, null when the range
 * is exhausted; a page can be short (even empty) with a `next` when it scanned its most rows before
 * filling up, so a client pages until `next` is null. `floor`: events at or before this id are no
 * longer retained.
 */
export interface HistoryPage<T> {
  items: HistoryItem<T>[];
  next: string | null;
  floor: string;
}
