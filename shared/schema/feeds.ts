import { z } from 'zod';
import { idSchema, priceSchema, severitySchema, symbolSchema, timestampSchema } from './common.js';
import { jsonBoundsError } from './json-bounds.js';

export const alertRuleSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  condition: z.enum(['above', 'below']),
  threshold: z.number(),
  severity: severitySchema,
  message: z.string().nullable(),
  /** A rule fires once when crossed and re-arms when the price crosses back. */
  armed: z.boolean(),
  createdAt: timestampSchema,
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

export const alertSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  symbol: z.string(),
  severity: severitySchema,
  message: z.string(),
  price: z.number(),
  ts: timestampSchema,
});
export type Alert = z.infer<typeof alertSchema>;

export const signalSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  kind: z.string(),
  strength: z.number(),
  source: z.string(),
  ts: timestampSchema,
});
export type Signal = z.infer<typeof signalSchema>;

export const notificationSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  severity: severitySchema,
  ts: timestampSchema,
});
export type DeskNotification = z.infer<typeof notificationSchema>;

export const systemAlertSchema = z.object({
  id: z.string(),
  component: z.string(),
  severity: severitySchema,
  message: z.string(),
  ts: timestampSchema,
});
export type SystemAlert = z.infer<typeof systemAlertSchema>;

export const metricSampleSchema = z.object({
  id: z.string(),
  name: z.string(),
  value: z.number(),
  labels: z.record(z.string(), z.string()),
  ts: timestampSchema,
});
export type MetricSample = z.infer<typeof metricSampleSchema>;

const jsonValueShape: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string().max(10_000),
    z.number().finite(),
    z.boolean(),
    z.null(),
    z.array(jsonValueShape).max(1000),
    z.record(z.string().max(200), jsonValueShape),
  ]),
);

/**
 * JSON values only: custom broadcasts travel as plain JSON. At most `JSON_MAX_DEPTH` levels deep
 * and `JSON_MAX_SIZE` characters, checked before the recursive shape is parsed.
 */
export const jsonValueSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const error = jsonBoundsError(value);
    if (error !== null) ctx.addIssue({ code: 'custom', message: error, abort: true });
  })
  // The bounds are checked on any value, but what a caller may pass is JSON: typed so, inputs such
  // as `broadcastCustom`'s `data` reject a function or a Date at compile time.
  .pipe(jsonValueShape) as unknown as z.ZodType<JsonValue, JsonValue>;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const customEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  data: jsonValueSchema,
  ts: timestampSchema,
});
export type DeskCustomEvent = z.infer<typeof customEventSchema>;

// ── inputs ──────────────────────────────────────────────────────────────

const text = (max: number) => z.string().trim().min(1).max(max);

export const createAlertRuleInput = z.object({
  id: idSchema.optional(),
  symbol: symbolSchema,
  condition: z.enum(['above', 'below']),
  threshold: priceSchema,
  severity: severitySchema.default('warning'),
  message: z.string().max(500).optional(),
});
export type CreateAlertRuleInput = z.infer<typeof createAlertRuleInput>;

export const publishSignalInput = z.object({
  symbol: symbolSchema,
  kind: text(64),
  strength: z.number().min(-1).max(1),
  source: text(64).default('manual'),
});
export type PublishSignalInput = z.infer<typeof publishSignalInput>;

export const pushNotificationInput = z.object({
  title: text(200),
  body: z.string().max(2000).default(''),
  severity: severitySchema.default('info'),
});
export type PushNotificationInput = z.infer<typeof pushNotificationInput>;

export const raiseSystemAlertInput = z.object({
  component: text(64),
  severity: severitySchema,
  message: text(1000),
});
export type RaiseSystemAlertInput = z.infer<typeof raiseSystemAlertInput>;

export const recordMetricsInput = z.object({
  samples: z
    .array(
      z.object({
        name: z.string().regex(/^[a-zA-Z_:][\w:]{0,99}$/, 'metric names look like prometheus names'),
        value: z.number().finite(),
        labels: z.record(z.string().max(64), z.string().max(200)).default({}),
        ts: timestampSchema.optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type RecordMetricsInput = z.infer<typeof recordMetricsInput>;

export const broadcastCustomInput = z.object({
  type: text(64),
  data: jsonValueSchema,
});
export type BroadcastCustomInput = z.infer<typeof broadcastCustomInput>;
