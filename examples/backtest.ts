// Back-tests the momentum logic of momentum-bot.ts on a recorded session: replays the desk's prices
// from a past moment at 100x up to now, trades on paper (nothing is sent to the desk), prints the
// result and exits. A viewer token is enough.
// Run: DESK_TOKEN=<viewer token> BACKTEST_FROM=<ms or event id> npx tsx examples/backtest.ts
import { createDeskClient, replayStream } from '../shared/node';

const SYMBOL = process.env.BOT_SYMBOL ?? 'AAPL';
const QTY = 10;
const LOOKBACK = 5;
const THRESHOLD = 0.002; // 0.2 % over the window
const from = process.env.BACKTEST_FROM ?? String(Date.now() - 10 * 60_000);
const window: number[] = [];
let held = 0;
let cash = 0;
let trades = 0;
let last = 0;

const desk = createDeskClient({ url: process.env.DESK_URL ?? 'http://127.0.0.1:3000', token: process.env.DESK_TOKEN });
try {
  const { to } = await desk.api.replay.window.query();
  const moment = /^\d{13}$/.test(from) ? Number(from) : from; // a time in ms, or an event id
  for await (const { data } of replayStream(desk.api.market.onPrices, { symbols: [SYMBOL] }, { from: moment, to: to.eventId, speed: 100 })) {
    for (const tick of data.type === 'snapshot' ? data.items : data.type === 'changes' ? data.upserts : []) {
      last = tick.price;
      window.push(tick.price);
      if (window.length > LOOKBACK) window.shift();
      if (window.length < LOOKBACK) continue;
      const momentum = (window.at(-1)! - window[0]!) / window[0]!;
      const action = momentum > THRESHOLD && held <= 0 ? 'buy' : momentum < -THRESHOLD && held >= 0 ? 'sell' : null;
      if (!action) continue;
      const qty = action === 'buy' ? QTY : -QTY;
      held += qty;
      cash -= qty * tick.price;
      trades++;
      console.log(`${new Date(tick.ts).toISOString()} ${action} ${QTY} ${SYMBOL} at ${tick.price}`);
    }
  }
  const pnl = cash + held * last;
  console.log(`backtest ${SYMBOL}: ${trades} trades, held ${held}, P&L ${pnl.toFixed(2)} at ${last}`);
} catch (error) {
  console.error(`backtest: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  desk.close();
}
