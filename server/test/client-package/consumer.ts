// A program using @livedesk/client as any TypeScript project would; compiled with 0 errors under
// several projects' compiler options by server/test/client-package.test.ts.
import {
  applyStreamMessage,
  createDeskClient,
  createEventWaiter,
  type AppRouter,
  type DeskCustomEvent,
  type DeskInput,
  type DeskItem,
  type DeskOutput,
  type Health,
  type JsonValue,
  type PriceTick,
  type StreamMessage,
  type Trade,
} from '@livedesk/client';
import { createDeskClient as createNodeDeskClient } from '@livedesk/client/node';
import { executeTradeInput, priceTickSchema } from '@livedesk/client/schema';
import { createSseMuxClient, sseMux, sseMuxLink } from '@livedesk/client/sse-mux';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import WebSocket from 'ws';

// `ws`'s WebSocket as it is, and options that may be undefined (exactOptionalPropertyTypes).
const token: string | undefined = undefined;
const desk = createDeskClient({ url: 'http://127.0.0.1:3000', token, WebSocket, transport: 'ws' });
const nodeDesk = createNodeDeskClient({ url: 'http://127.0.0.1:3000', token: 'secret', transport: 'sse' });
// Every subscription over one SSE stream, from its own entry; or its link in a plain tRPC client.
const muxDesk = createNodeDeskClient({ url: 'http://127.0.0.1:3000', token, transport: sseMux(), onConnectionChange: (state) => console.log(state) });
const muxLinked = createTRPCClient<AppRouter>({ links: [sseMuxLink({ client: createSseMuxClient({ url: 'http://127.0.0.1:3000', retryDelayMs: () => 1000 }) })] });
muxDesk.api.agents.onAgents.subscribe(undefined, { onData: ({ data }) => console.log(data.type) });
muxLinked.market.onPrices.subscribe({ symbols: ['AAPL'] }, { onData: ({ id }) => console.log(id) });

const applied = createEventWaiter();
let prices: PriceTick[] = [];
const subscription = desk.api.market.onPrices.subscribe(
  { symbols: ['AAPL'], maxHz: 10 },
  {
    onData: ({ id, data }) => {
      const message: StreamMessage<PriceTick> = data;
      prices = applyStreamMessage(prices, message, { keyOf: (tick) => tick.symbol });
      applied.observe(id);
    },
    onError: (error) => console.error(error.message, error.data?.code),
  },
);

/** Trades once and waits until the trade is on the stream; the result is the real shape. */
export async function tradeOnce(): Promise<Trade> {
  const order: DeskInput<'market.executeTrade'> = { symbol: 'AAPL', side: 'buy', qty: 10 };
  const { eventId, trade } = await desk.api.market.executeTrade.mutate(order);
  await applied.waitFor(eventId);
  const fromStream: DeskItem<'market.onTrades'> = trade;
  return fromStream;
}

/** Custom events carry JSON. */
export async function broadcast(data: JsonValue): Promise<string | null> {
  const result = await nodeDesk.api.feeds.broadcastCustom.mutate({ type: 'note', data: { nested: [data, 1, 'two', null, true] } });
  return result.eventId;
}

/** Helper types by procedure path. */
export type Message = DeskOutput<'market.onPrices'>;
export type HealthNow = DeskOutput<'system.health'>;
export type Custom = DeskItem<'feeds.onCustom'>;
export const sameCustom = (event: DeskCustomEvent): Custom => event;
export const healthy = (health: Health): HealthNow => health;

// The plain tRPC client works on the shipped AppRouter too.
const plain = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: 'http://127.0.0.1:3000/trpc' })] });
export async function lastPrices(): Promise<PriceTick[]> {
  return plain.market.prices.query();
}

/** A refusal, read field by field. */
export function describeError(error: unknown): string {
  if (!(error instanceof TRPCClientError)) return String(error);
  const refused = error as TRPCClientError<AppRouter>;
  const fields = refused.data?.zodError?.fieldErrors ?? {};
  return `${refused.data?.code ?? 'UNKNOWN'}: ${refused.message} ${Object.keys(fields).join(',')}`;
}

// The schemas validate (and infer the same types).
export const tick: PriceTick = priceTickSchema.parse({ symbol: 'A', price: 1, bid: 1, ask: 1, change: 0, changePct: 0, volume: 0, ts: 0 });
export const order = executeTradeInput.safeParse({ symbol: 'aapl', side: 'buy', qty: 1 });

export function close(): void {
  subscription.unsubscribe();
  desk.close();
  nodeDesk.close();
  muxDesk.close();
}

// The types are exact, not merely assignable: a mutation's result is one object of its real fields.
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
export const exact: [
  Equal<DeskOutput<'market.executeTrade'>, { eventId: string | null; trade: Trade }>,
  Equal<DeskOutput<'market.setPrice'>, { eventId: string | null }>,
  Equal<DeskOutput<'market.onPrices'>, StreamMessage<PriceTick>>,
  Equal<DeskOutput<'system.onHealth'>, StreamMessage<Health>>,
  Equal<DeskItem<'feeds.onCustom'>, DeskCustomEvent>,
  Equal<DeskInput<'feeds.broadcastCustom'>['data'], JsonValue>,
  Equal<DeskOutput<'market.prices'>, PriceTick[]>,
] = [true, true, true, true, true, true, true];
