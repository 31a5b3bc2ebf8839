// Plain JavaScript on the built package, run by Node without a loader: server/test/client-package.test.ts.
import { createDeskClient } from '@livedesk/client/node';
import { executeTradeInput } from '@livedesk/client/schema';

const desk = createDeskClient({ url: process.env.DESK_URL });
try {
  await desk.api.market.setPrice.mutate({ symbol: 'AAPL', price: 100 });
  const { eventId, trade } = await desk.api.market.executeTrade.mutate(executeTradeInput.parse({ symbol: 'aapl', side: 'buy', qty: 3 }));
  const snapshot = await new Promise((resolve, reject) => {
    const sub = desk.api.market.onTrades.subscribe(undefined, {
      onData: ({ data }) => (sub.unsubscribe(), resolve(data)),
      onError: reject,
    });
  });
  console.log(JSON.stringify({ eventId, trade, snapshot }));
} finally {
  desk.close();
}
