import { candlesInput } from '../../shared/schema/candles';
import { equityHistoryInput } from '../../shared/schema/equity';
import { executeTradeInput, setPriceInput } from '../../shared/schema/market';
import { candlesStreamInput, portfolioInput, positionsInput, pricesInput, tradesInput } from '../../shared/schema/stream';
import { mutationProcedure, viewerProcedure, router } from '../trpc';
import { byAgentAndSymbols, bySymbolAndInterval, bySymbols, everything } from './filters';
import { command, withTradeLimits } from './command';
import { streamProcedure } from './stream-procedure';

export const marketRouter = router({
  onPrices: streamProcedure(pricesInput, (t) => t.prices, bySymbols),
  onPortfolio: streamProcedure(portfolioInput, (t) => t.portfolio, everything),
  onPositions: streamProcedure(positionsInput, (t) => t.positions, bySymbols),
  onTrades: streamProcedure(tradesInput, (t) => t.trades, byAgentAndSymbols),
  onCandles: streamProcedure(candlesStreamInput, (t) => t.candles, bySymbolAndInterval),

  prices: viewerProcedure.query(({ ctx }) => ctx.desk.topics.prices.values()),
  portfolio: viewerProcedure.query(({ ctx }) => ctx.desk.topics.portfolio.get('portfolio')!),
  positions: viewerProcedure.query(({ ctx }) => ctx.desk.topics.positions.values()),
  candles: viewerProcedure.input(candlesInput).query(({ ctx, input }) => ctx.desk.candles(input)),
  equityHistory: viewerProcedure.input(equityHistoryInput).query(({ ctx, input }) => ctx.desk.equityHistory(input)),
  trades: viewerProcedure.query(({ ctx }) => ctx.desk.topics.trades.buffer.last(50, () => true)),

  setPrice: mutationProcedure.input(setPriceInput).mutation(command('market.setPrice', withTradeLimits)),
  executeTrade: mutationProcedure.input(executeTradeInput).mutation(command('market.executeTrade', withTradeLimits)),
});
