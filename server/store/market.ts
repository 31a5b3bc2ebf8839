import { TRPCError } from '@trpc/server';
import { candleIntervals } from '../../shared/schema/candles';
import type { Alert, AlertRule, CreateAlertRuleInput } from '../../shared/schema/feeds';
import type { ExecuteTradeInput, Position, PriceTick, SetPriceInput, Trade } from '../../shared/schema/market';
import type { Hub, Transaction } from '../hub/hub';
import { describeAlert, evaluateRule } from './alert-rules';
import { applyTick, volumeIncrement } from './candle-math';
import { idMaker } from './ids';
import { tickOf } from './price-tick';
import { candleKey, type DeskTopics } from './topics';
import { applyFill, computePortfolio, markPosition, money, type Ledger } from './trade-math';
import { withTime } from './updated-at';
import { priceRefusal, refuseOver, tradeRefusal, type TradeLimits } from './trade-limits';

export interface MarketOptions {
  /** Starting cash. @default 1000000 */
  initialCash?: number;
  /** Active alerts kept; the oldest is removed beyond this. @default 50 */
  alertsLimit?: number;
  /** Keep OHLCV bars of every tick (the `candles` topic). @default true */
  candles?: boolean;
  now?: () => number;
}

/**
 * Prices, positions, the portfolio and alert rules, kept consistent: every trade and every tick of
 * a held symbol updates position and portfolio in the same commit.
 */
export class Market {
  /** Equity at the start of the day; cash and realized P&L are read from the committed portfolio. */
  private readonly dayStartEquity: number;
  private readonly initialCash: number;
  private readonly alertsLimit: number;
  private readonly candles: boolean;
  private readonly now: () => number;

  constructor(
    private readonly hub: Hub,
    private readonly topics: DeskTopics,
    options: MarketOptions = {},
  ) {
    this.alertsLimit = options.alertsLimit ?? 50;
    this.candles = options.candles ?? true;
    this.now = options.now ?? Date.now;
    // A restored desk derives its ledger from the persisted portfolio.
    const saved = topics.portfolio.get('portfolio');
    this.initialCash = options.initialCash ?? 1_000_000;
    this.dayStartEquity = saved ? money(saved.equity - saved.dayPnl) : this.initialCash;
    if (!saved) hub.commit((tx) => tx.upsert(topics.portfolio, computePortfolio(this.ledger(), [], this.now())));
  }

  lastPrice(symbol: string): number | undefined {
    return this.topics.prices.get(symbol)?.price;
  }

  /** Sets a price; with `limits` (an operator's call), only within the band around the last tick. */
  setPrice(input: SetPriceInput, limits?: TradeLimits): number | null {
    const previous = this.topics.prices.get(input.symbol);
    let price = input.price;
    if (price === undefined) {
      if (!previous) throw new TRPCError({ code: 'BAD_REQUEST', message: `${input.symbol} has no price to nudge yet; set one first` });
      price = previous.price * (1 + (input.nudgePct ?? 0));
    }
    if (limits) refuseOver(priceRefusal(limits, price, previous?.price));
    return this.hub.commit((tx) => this.writeTick(tx, input.symbol, price, input.volume));
  }

  /** Writes a tick and everything it moves: the held position, the portfolio, alert rules. */
  writeTick(tx: Transaction, symbol: string, rawPrice: number, volume?: number): void {
    const previous = this.topics.prices.get(symbol);
    // The session open comes from the committed last tick: a tick that failed to write leaves nothing behind.
    const tick = tickOf(symbol, rawPrice, previous, volume ?? (previous?.volume ?? 0) + 100, this.now());
    const { price } = tick;
    tx.upsert(this.topics.prices, tick);
    if (this.candles) this.writeCandles(tx, tick, previous);
    const position = this.openPosition(symbol);
    if (position) {
      tx.upsert(this.topics.positions, markPosition(position, price));
      tx.upsert(this.topics.portfolio, this.portfolioWith([markPosition(position, price)]));
    }
    this.checkAlerts(tx, symbol, price);
  }

  /** Moves the open bar of each interval by the tick: in its commit, so a tick that fails to write moves none. */
  private writeCandles(tx: Transaction, tick: PriceTick, previous: PriceTick | undefined): void {
    const move = { price: tick.price, qty: volumeIncrement(tick.volume, previous?.volume), ts: tick.ts };
    for (const interval of candleIntervals) {
      const open = this.topics.candles.get(candleKey(tick.symbol, interval));
      tx.upsert(this.topics.candles, applyTick(open, tick.symbol, interval, move));
    }
  }

  /**
   * Books a trade at `input.price` or the last price; with `limits` (an operator's call), only
   * within them, checked before anything is written.
   */
  executeTrade(input: ExecuteTradeInput, tx?: Transaction, limits?: TradeLimits): { eventId: number | null; trade: Trade } {
    const price = this.fillPrice(input);
    if (limits) this.checkLimits(input, limits);
    if (tx) {
      const trade = this.writeTrade(tx, input, price);
      return { eventId: tx.id, trade };
    }
    let trade: Trade | undefined;
    // An inline closure, not a named one: under tsx each named closure is also named at run time
    // (`__name`, a property definition), 0.3 µs a trade.
    const eventId = this.hub.commit((t) => {
      trade = this.writeTrade(t, input, price);
    });
    return { eventId, trade: trade! };
  }

  /** Throws BAD_REQUEST naming the limit a trade would break. */
  checkLimits(input: Pick<ExecuteTradeInput, 'symbol' | 'qty' | 'price'>, limits: TradeLimits): void {
    const last = this.lastPrice(input.symbol);
    refuseOver(tradeRefusal(limits, { qty: input.qty, price: this.fillPrice(input), explicitPrice: input.price !== undefined }, last));
  }

  private fillPrice(input: Pick<ExecuteTradeInput, 'symbol' | 'price'>): number {
    const price = input.price ?? this.lastPrice(input.symbol);
    if (price === undefined) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `${input.symbol} has no price yet; pass price or set one first` });
    }
    return price;
  }

  createAlertRule(input: CreateAlertRuleInput): number | null {
    return this.hub.commit((tx) => {
      const rule: AlertRule = {
        id: input.id ?? idMaker(tx.id)('rule'),
        symbol: input.symbol,
        condition: input.condition,
        threshold: input.threshold,
        severity: input.severity,
        message: input.message ?? null,
        armed: true,
        createdAt: this.now(),
      };
      tx.upsert(this.topics.alertRules, rule);
    });
  }

  deleteAlertRule(id: string): number | null {
    this.mustExist(this.topics.alertRules.get(id), `alert rule ${id}`);
    return this.hub.commit((tx) => tx.remove(this.topics.alertRules, id));
  }

  dismissAlert(id: string): number | null {
    this.mustExist(this.topics.alerts.get(id), `alert ${id}`);
    return this.hub.commit((tx) => tx.remove(this.topics.alerts, id));
  }

  clearAlerts(): number | null {
    const keys = this.topics.alerts.values().map((a) => a.id);
    return this.hub.commit((tx) => tx.remove(this.topics.alerts, ...keys));
  }

  private writeTrade(tx: Transaction, input: ExecuteTradeInput, rawPrice: number): Trade {
    const price = money(rawPrice);
    const now = this.now();
    const makeId = idMaker(tx.id);
    const current = this.openPosition(input.symbol);
    const holding = current ? { qty: current.side === 'long' ? current.qty : -current.qty, avgPrice: current.avgPrice } : null;
    const fill = applyFill(holding, input.side, input.qty, price);
    const ledger = this.ledger();
    ledger.cash = money(ledger.cash + (input.side === 'buy' ? -1 : 1) * input.qty * price);
    ledger.realizedPnl = money(ledger.realizedPnl + fill.realized);
    const changed: Position[] = [];
    if (current && (fill.qty === 0 || fill.flipped)) {
      tx.remove(this.topics.positions, current.id);
      changed.push({ ...current, qty: 0, marketValue: 0, unrealizedPnl: 0 });
    }
    if (fill.qty !== 0) {
      const base: Position =
        current && !fill.flipped
          ? current
          : { id: makeId('pos'), symbol: input.symbol, side: 'long', qty: 0, avgPrice: 0, lastPrice: price,
              marketValue: 0, unrealizedPnl: 0, realizedPnl: 0, openedAt: now, closedAt: null };
      const next = markPosition(
        {
          ...base,
          side: fill.qty > 0 ? 'long' : 'short',
          qty: Math.abs(fill.qty),
          avgPrice: fill.avgPrice,
          realizedPnl: fill.flipped ? 0 : money(base.realizedPnl + fill.realized),
        },
        this.lastPrice(input.symbol) ?? price,
      );
      tx.upsert(this.topics.positions, next);
      changed.push(next);
    }
    tx.upsert(this.topics.portfolio, this.portfolioWith(changed, ledger));
    const trade: Trade = {
      id: makeId('trd'),
      symbol: input.symbol,
      side: input.side,
      qty: input.qty,
      price,
      agentId: input.agentId ?? null,
      decisionId: input.decisionId ?? null,
      realizedPnl: fill.realized,
      ts: now,
    };
    tx.append(this.topics.trades, trade);
    return trade;
  }

  /** The portfolio as it will be once `changed` positions replace (or, at qty 0, drop) theirs. */
  private portfolioWith(changed: Position[], ledger = this.ledger()) {
    const byId = new Map(this.topics.positions.values().map((p) => [p.id, p]));
    for (const position of changed) {
      if (position.qty === 0) byId.delete(position.id);
      else byId.set(position.id, position);
    }
    const now = this.now();
    // A tick at the price a position already had changes nothing in the portfolio, not even its time.
    return withTime(computePortfolio(ledger, byId.values(), now), this.topics.portfolio.get('portfolio'), now);
  }

  /**
   * Cash and realized P&L as committed (the portfolio row), so a trade whose write failed, or a
   * group of mutations taken back, leaves no trace in them.
   */
  private ledger(): Ledger {
    const portfolio = this.topics.portfolio.get('portfolio');
    return { cash: portfolio?.cash ?? this.initialCash, realizedPnl: portfolio?.realizedPnl ?? 0, dayStartEquity: this.dayStartEquity };
  }

  private openPosition(symbol: string): Position | undefined {
    for (const position of this.topics.positions.values()) if (position.symbol === symbol) return position;
    return undefined;
  }

  private checkAlerts(tx: Transaction, symbol: string, price: number): void {
    const makeId = idMaker(tx.id);
    for (const rule of this.topics.alertRules.values()) {
      if (rule.symbol !== symbol) continue;
      const { fire, armed } = evaluateRule(rule, price);
      if (armed !== rule.armed) tx.upsert(this.topics.alertRules, { ...rule, armed });
      if (!fire) continue;
      const alert: Alert = {
        id: makeId('alr'),
        ruleId: rule.id,
        symbol,
        severity: rule.severity,
        message: describeAlert(rule, price),
        price,
        ts: this.now(),
      };
      tx.upsert(this.topics.alerts, alert);
      const active = this.topics.alerts.values();
      const excess = active.length + 1 - this.alertsLimit;
      if (excess > 0) tx.remove(this.topics.alerts, ...active.slice(0, excess).map((a) => a.id));
    }
  }

  private mustExist<T>(value: T | undefined, what: string): asserts value is T {
    if (value === undefined) throw new TRPCError({ code: 'NOT_FOUND', message: `${what} does not exist` });
  }
}
