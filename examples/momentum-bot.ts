// A momentum bot: buys when the last LOOKBACK prices rose by more than THRESHOLD, sells when they
// fell as much; pauses, resumes and flattens on an operator's command from the desk.
// Run: DESK_TOKEN=<operator token> npx tsx examples/momentum-bot.ts
import { createDeskAgent } from '../shared/node';

const SYMBOL = process.env.BOT_SYMBOL ?? 'AAPL';
const QTY = 10;
const LOOKBACK = 5;
const THRESHOLD = 0.002; // 0.2 % over the window
let held = 0; // this bot's net position in SYMBOL
const window: number[] = [];

const agent = await createDeskAgent({
  url: process.env.DESK_URL ?? 'http://127.0.0.1:3000',
  token: process.env.DESK_TOKEN,
  id: process.env.BOT_ID ?? 'momentum-1',
  name: 'Momentum bot',
  commands: {
    pause: () => console.log('paused'),
    resume: () => {
      window.length = 0; // prices from before the pause say nothing now
      console.log('resumed');
    },
    flatten: async (_command, bot) => {
      if (held !== 0) await bot.trade({ symbol: SYMBOL, side: held > 0 ? 'sell' : 'buy', qty: Math.abs(held) });
      console.log(`flat (was ${held})`);
      held = 0;
      return 'flat';
    },
  },
});
console.log(`registered ${agent.id}, trading ${SYMBOL}`);

agent.onPrices(
  ([tick]) => {
    window.push(tick!.price);
    if (window.length > LOOKBACK) window.shift();
    if (window.length < LOOKBACK) return;
    const momentum = (window.at(-1)! - window[0]!) / window[0]!;
    const action = momentum > THRESHOLD && held <= 0 ? 'buy' : momentum < -THRESHOLD && held >= 0 ? 'sell' : null;
    if (!action) return;
    const change = action === 'buy' ? QTY : -QTY;
    held += change;
    agent
      .decide({ symbol: SYMBOL, action, confidence: Math.min(1, Math.abs(momentum) * 100), reasoning: `momentum ${(momentum * 100).toFixed(2)} %`, executeQty: QTY })
      .then(({ decision }) => console.log(`${action} ${QTY} ${SYMBOL} (trade ${decision.tradeId})`))
      .catch((error: Error) => {
        held -= change;
        console.error(`decision refused: ${error.message}`);
      });
  },
  { symbols: [SYMBOL] },
);

// Ctrl-C: the desk sees the bot go offline at once (killed otherwise, after its grace period).
process.once('SIGINT', () => void agent.close().then(() => process.exit(0)));
