import { z } from 'zod';
import { idSchema, priceSchema, quantitySchema, symbolSchema, timestampSchema } from './common.js';

export const priceTickSchema = z.object({
  symbol: z.string(),
  price: z.number(),
  bid: z.number(),
  ask: z.number(),
  /** Change against the session open. */
  change: z.number(),
  changePct: z.number(),
  volume: z.number(),
  ts: timestampSchema,
});
export type PriceTick = z.infer<typeof priceTickSchema>;

export const portfolioSchema = z.object({
  cash: z.number(),
  equity: z.number(),
  positionsValue: z.number(),
  unrealizedPnl: z.number(),
  realizedPnl: z.number(),
  dayPnl: z.number(),
  updatedAt: timestampSchema,
});
export type Portfolio = z.infer<typeof portfolioSchema>;

export const sideSchema = z.enum(['buy', 'sell']);
export type Side = z.infer<typeof sideSchema>;

export const positionSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  qty: z.number(),
  avgPrice: z.number(),
  lastPrice: z.number(),
  marketValue: z.number(),
  unrealizedPnl: z.number(),
  realizedPnl: z.number(),
  openedAt: timestampSchema,
  closedAt: timestampSchema.nullable(),
});
export type Position = z.infer<typeof positionSchema>;

export const tradeSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  side: sideSchema,
  qty: z.number(),
  price: z.number(),
  agentId: z.string().nullable(),
  decisionId: z.string().nullable(),
  realizedPnl: z.number(),
  ts: timestampSchema,
});
export type Trade = z.infer<typeof tradeSchema>;

// ── inputs ──────────────────────────────────────────────────────────────

export const setPriceInput = z
  .object({
    symbol: symbolSchema,
    price: priceSchema.optional(),
    /** Relative move, e.g. 0.01 for +1 %. */
    nudgePct: z.number().min(-0.5).max(0.5).optional(),
    volume: z.number().int().nonnegative().max(1e12).optional(),
  })
  .refine((v) => (v.price === undefined) !== (v.nudgePct === undefined), {
    message: 'give exactly one of price or nudgePct',
    path: ['price'],
  });
export type SetPriceInput = z.infer<typeof setPriceInput>;

export const executeTradeInput = z.object({
  symbol: symbolSchema,
  side: sideSchema,
  qty: quantitySchema,
  /** Fill price; defaults to the symbol's last price. */
  price: priceSchema.optional(),
  agentId: idSchema.optional(),
  decisionId: idSchema.optional(),
});
export type ExecuteTradeInput = z.infer<typeof executeTradeInput>;
