import { z } from 'zod';
import { idSchema, timestampSchema } from './common.js';

export const memoryActionSchema = z.enum(['created', 'updated', 'accessed', 'deleted']);
export type MemoryAction = z.infer<typeof memoryActionSchema>;

/** Characters of a memory's content an event carries at most. */
export const MEMORY_CONTENT_MAX = 2000;
/** Tags one memory event carries at most. */
export const MEMORY_TAGS_MAX = 16;

/** A memory tag: a short word (`market`, `risk:high`). */
export const memoryTagSchema = z
  .string()
  .trim()
  .min(1, 'a tag must not be empty')
  .max(32, 'a tag is at most 32 characters')
  .regex(/^[\w.:\-]+$/, 'a tag may contain letters, digits, _ . : and - only');

/** One event of an agent's memory: a memory created, updated, read back or deleted. */
export const memoryEventSchema = z.object({
  /** The event's own id (`mem-…`). */
  id: z.string(),
  /** The memory it is about: several events share one. */
  memoryId: z.string(),
  agentId: z.string(),
  action: memoryActionSchema,
  content: z.string(),
  /** 0 (trivia) to 1 (essential). */
  importance: z.number(),
  tags: z.array(z.string()),
  ts: timestampSchema,
});
export type MemoryEvent = z.infer<typeof memoryEventSchema>;

// ── inputs ──────────────────────────────────────────────────────────────

export const recordMemoryInput = z
  .object({
    agentId: idSchema,
    /** The memory the event is about; omit when creating one, and the desk names it. */
    memoryId: idSchema.optional(),
    action: memoryActionSchema.default('created'),
    content: z.string().max(MEMORY_CONTENT_MAX, `content is at most ${MEMORY_CONTENT_MAX} characters`).default(''),
    importance: z.number().min(0).max(1).default(0.5),
    tags: z
      .array(memoryTagSchema)
      .max(MEMORY_TAGS_MAX, `at most ${MEMORY_TAGS_MAX} tags`)
      .default([])
      .transform((tags) => [...new Set(tags)]),
  })
  .refine((v) => v.action === 'created' || v.memoryId !== undefined, {
    message: 'give the memoryId of the memory that is updated, accessed or deleted',
    path: ['memoryId'],
  });
export type RecordMemoryInput = z.output<typeof recordMemoryInput>;
