import type { Portfolio, Position, PriceTick, Trade } from '../../shared/schema/market';
import type { StateTopic } from '../hub/state-topic';
import type { DeskTopics } from '../store/topics';
import { computePortfolio, money, type Ledger } from '../store/trade-math';

/** Keyed topics a past moment is rebuilt for. Revocations are left out: they name tokens, and have no stream. */
export const REPLAYED_KEYED = ['positions', 'agents', 'tasks', 'workflows', 'agentCommands', 'alertRules', 'alerts'] as const;
/** Log topics a past moment shows the last events of. */
export const REPLAYED_LOGS = ['decisions', 'trades', 'signals', 'notifications', 'systemAlerts', 'custom', 'metrics', 'memories'] as const;

export type ReplayedKeyed = (typeof REPLAYED_KEYED)[number];
export type ReplayedLog = (typeof REPLAYED_LOGS)[number];

/** One row of the journal's `events` table. */
export interface EventRow {
  id: number;
  seq: number;
  topic: string;
  op: string;
  key: string;
  body: string;
  ts: number;
}

/** A row of a keyed topic with the id of the event that last changed it. */
export interface KeyedRow {
  id: number;
  value: unknown;
}

/** What a checkpoint holds: the desk's state as of its id (see `Checkpoints`). */
export interface CheckpointBody {
  /** Every keyed topic's rows in the topic's own order, `[id, key, value]`. */
  keyed: Record<string, Array<[id: number, key: string, value: unknown]>>;
  /** The portfolio as of the checkpoint: its cash, realized P&L and day start are the ledger. */
  portfolio: Portfolio | null;
  /** The last tick per symbol: the session open and volume later ticks are measured from. */
  prices: PriceTick[];
}

/**
 * The journaled part of the desk folded event by event from a checkpoint: keyed rows in the order
 * their topic keeps them (a key keeps its place when changed, goes to the end when added again),
 * and the ledger (cash and realized P&L), which only trades move. With the positions (every tick
 * of a held symbol re-marks its position in the same commit) it gives the portfolio as the desk
 * computed it at that commit.
 */
export class DeskState {
  readonly keyed = new Map<string, Map<string, KeyedRow>>();
  ledger: Ledger | null;
  /** The last tick per symbol of the checkpoint. */
  readonly basePrices: Map<string, PriceTick>;
  /** The newest event folded in (or the checkpoint's id). */
  lastId: number;
  /** When the portfolio last changed (the journal's time of that commit). */
  portfolioTs: number;

  constructor(checkpointId: number, body: CheckpointBody) {
    this.lastId = checkpointId;
    for (const name of REPLAYED_KEYED) {
      const rows = new Map<string, KeyedRow>();
      for (const [id, key, value] of body.keyed[name] ?? []) rows.set(key, { id, value });
      this.keyed.set(name, rows);
    }
    const p = body.portfolio;
    this.ledger = p ? { cash: p.cash, realizedPnl: p.realizedPnl, dayStartEquity: money(p.equity - p.dayPnl) } : null;
    this.portfolioTs = p?.updatedAt ?? 0;
    this.basePrices = new Map(body.prices.map((tick) => [tick.symbol, tick]));
  }

  /** Folds one journal row in (rows of a commit in their `seq` order). */
  apply(row: EventRow): void {
    this.lastId = row.id;
    const rows = this.keyed.get(row.topic);
    if (rows) {
      if (row.op === 'upsert') rows.set(row.key, { id: row.id, value: JSON.parse(row.body) });
      else if (row.op === 'remove') rows.delete(row.key);
      if (row.topic === 'positions') this.portfolioTs = row.ts;
      return;
    }
    if (row.topic === 'trades' && row.op === 'append' && this.ledger) {
      const trade = JSON.parse(row.body) as Trade;
      // The same arithmetic, in the same order, as the trade's own commit (Market.writeTrade).
      this.ledger.cash = money(this.ledger.cash + (trade.side === 'buy' ? -1 : 1) * trade.qty * trade.price);
      this.ledger.realizedPnl = money(this.ledger.realizedPnl + trade.realizedPnl);
      this.portfolioTs = row.ts;
    }
  }

  /** A keyed topic's rows, in order. */
  rows(topic: ReplayedKeyed): unknown[] {
    return [...this.keyed.get(topic)!.values()].map((row) => row.value);
  }

  /** The portfolio as the desk computed it at the newest commit folded in; null before the desk had one. */
  portfolio(): Portfolio | null {
    if (!this.ledger) return null;
    return computePortfolio(this.ledger, [...this.keyed.get('positions')!.values()].map((row) => row.value as Position), this.portfolioTs);
  }
}

/** The desk's state now, for a checkpoint (what `Checkpoints.write` stores). */
export function checkpointBody(topics: DeskTopics): CheckpointBody {
  const keyed: CheckpointBody['keyed'] = {};
  for (const name of REPLAYED_KEYED) {
    const topic = topics[name] as unknown as StateTopic<unknown>;
    keyed[name] = topic.dump().map(([id, value]) => [id, topic.keyOf(value), value]);
  }
  return { keyed, portfolio: topics.portfolio.get('portfolio') ?? null, prices: topics.prices.values() };
}
