import { z } from 'zod';

/** A ticker symbol such as `AAPL` or `BTC-USD`. */
export const symbolSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9.\-]{1,12}$/, 'symbol must be 1-12 letters, digits, dots or dashes');

/** An identifier chosen by a client (agent ids, task ids, rule ids…). */
export const idSchema = z
  .string()
  .trim()
  .min(1, 'id must not be empty')
  .max(64, 'id must be at most 64 characters')
  .regex(/^[\w.:\-]+$/, 'id may contain letters, digits, _ . : and - only');

/** Milliseconds since the epoch. */
export const timestampSchema = z.number().int().nonnegative();

export const severitySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

/** Severity order, for "at least this severe" filters. */
export const severityRank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export const priceSchema = z.number().positive().max(1e9).finite();
export const quantitySchema = z.number().positive().max(1e9).finite();

/** Event ids travel as decimal strings (tRPC's `tracked()` ids are strings). */
export const eventIdSchema = z.string().regex(/^\d{1,16}$/, 'event id must be a decimal integer');

/** Optional idempotency key a client may attach to a mutation. */
export const idempotencyKeySchema = z.string().min(1).max(128).optional();

/** Every mutation answers with the id of the event it produced. */
export const mutationResultSchema = z.object({
  /** The commit's event id; `null` when the mutation changed nothing. */
  eventId: z.string().nullable(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;
