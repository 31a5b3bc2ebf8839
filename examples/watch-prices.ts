// Prints the desk's price stream, one line per update, until Ctrl-C or --count updates.
// Run: npx tsx examples/watch-prices.ts --symbols AAPL,MSFT --count 20
import { parseArgs } from 'node:util';
import { createDeskClient } from '../shared/node';

const { values } = parseArgs({ options: { symbols: { type: 'string' }, count: { type: 'string' } } });
const count = values.count === undefined ? Infinity : Number(values.count);
if (!(count === Infinity || (Number.isInteger(count) && count > 0))) {
  console.error('--count must be a positive whole number');
  process.exit(2);
}
const desk = createDeskClient({ url: process.env.DESK_URL ?? 'http://127.0.0.1:3000', token: process.env.DESK_TOKEN });
let seen = 0;
const sub = desk.api.market.onPrices.subscribe(
  { symbols: values.symbols?.split(',') },
  {
    onData: ({ id, data }) => {
      for (const tick of data.type === 'changes' ? data.upserts : data.items) console.log(`#${id} ${tick.symbol} ${tick.price}`);
      if (++seen >= count) stop(0);
    },
    onError: (error) => {
      console.error(`watch: ${error.message}`);
      stop(1);
    },
  },
);

function stop(code: number): void {
  sub.unsubscribe();
  desk.close(); // nothing else holds the process open: it exits by itself
  process.exitCode = code;
}
process.once('SIGINT', () => stop(0));
