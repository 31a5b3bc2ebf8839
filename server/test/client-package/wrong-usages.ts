// Each marked line is a wrong use of @livedesk/client that must not compile: server/test/client-package.test.ts
// checks that this file compiles (every directive used) and that without the directives each of
// these lines, and only these, has an error.
import { applyStreamMessage, createDeskClient, createEventWaiter, type AppRouter, type DeskItem, type DeskOutput, type PriceTick, type Trade } from '@livedesk/client';
import { priceTickSchema } from '@livedesk/client/schema';
import { createTRPCClient, httpBatchLink } from '@trpc/client';

const desk = createDeskClient({ url: 'http://127.0.0.1:3000' });
const plain = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: 'http://127.0.0.1:3000/trpc' })] });

export async function wrong(): Promise<unknown[]> {
  return [
    // @ts-expect-error no such procedure
    desk.api.market.onPricez.subscribe(undefined, {}),
    // @ts-expect-error side is buy or sell
    await desk.api.market.executeTrade.mutate({ symbol: 'AAPL', side: 'hold', qty: 1 }),
    // @ts-expect-error qty is required
    await desk.api.market.executeTrade.mutate({ symbol: 'AAPL', side: 'buy' }),
    // @ts-expect-error qty is a number
    await desk.api.market.executeTrade.mutate({ symbol: 'AAPL', side: 'buy', qty: '10' }),
    // @ts-expect-error a query is not mutated
    await desk.api.market.prices.mutate(),
    // @ts-expect-error a mutation is not queried
    await desk.api.market.executeTrade.query({ symbol: 'AAPL', side: 'buy', qty: 1 }),
    // @ts-expect-error the prices stream filters by `symbols`
    desk.api.market.onPrices.subscribe({ symbol: 'AAPL' }, {}),
    // @ts-expect-error idempotency keys are strings
    await desk.api.feeds.pushNotification.mutate({ title: 'hi', idempotencyKey: 42 }),
    // @ts-expect-error custom data is JSON: no functions
    await desk.api.feeds.broadcastCustom.mutate({ type: 'x', data: () => 1 }),
    // @ts-expect-error custom data is JSON: no Date
    await desk.api.feeds.broadcastCustom.mutate({ type: 'x', data: new Date() }),
    // @ts-expect-error custom data is JSON: no undefined
    await desk.api.feeds.broadcastCustom.mutate({ type: 'x', data: undefined }),
    // @ts-expect-error the token id to revoke is required
    await desk.api.system.revokeToken.mutate({}),
    // @ts-expect-error the plain client knows agent statuses too
    await plain.agents.setStatus.mutate({ id: 'a', status: 'sleeping' }),
    // @ts-expect-error the transport is ws or sse
    createDeskClient({ url: 'http://127.0.0.1:3000', transport: 'tcp' }),
    // @ts-expect-error the multiplexed SSE is sseMux() from @livedesk/client/sse-mux, not a string
    createDeskClient({ url: 'http://127.0.0.1:3000', transport: 'sse-mux' }),
    // @ts-expect-error the url is required
    createDeskClient({ token: 'x' }),
    // @ts-expect-error WebSocket is a constructor
    createDeskClient({ url: 'http://127.0.0.1:3000', WebSocket: 'ws' }),
    // @ts-expect-error keys are strings
    applyStreamMessage<PriceTick>([], { type: 'append', items: [] }, { keyOf: (tick) => tick.price }),
    // @ts-expect-error event ids are strings
    await createEventWaiter().waitFor(42),
  ];
}

export async function wrongResults(): Promise<void> {
  const result = await desk.api.market.setPrice.mutate({ symbol: 'AAPL', price: 10 });
  // @ts-expect-error setPrice returns no trade
  console.log(result.trade);
  // @ts-expect-error the event id is a string or null
  const id: number = result.eventId;
  // @ts-expect-error a price tick is not a trade
  const trade: Trade = priceTickSchema.parse({});
  desk.api.market.onPrices.subscribe(undefined, {
    // @ts-expect-error the prices stream carries ticks, not trades
    onData: ({ data }: { data: DeskOutput<'market.onTrades'> }) => console.log(data),
  });
  console.log(id, trade);
}

// @ts-expect-error no such procedure path
export type NoSuchPath = DeskOutput<'market.nope'>;
// @ts-expect-error only streams have items
export type NotAStream = DeskItem<'market.executeTrade'>;
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
// @ts-expect-error a result with a field missing is not the exact type (so consumer.ts's checks can fail)
export const notExact: Equal<DeskOutput<'market.executeTrade'>, { eventId: string | null }> = true;
