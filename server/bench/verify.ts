import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import type { AppRouter } from '../root';
import { sleep, type Fleet } from './fleet';
import { BENCH_SYMBOLS } from './tick';
import { openParsed, type WireMessage } from './wire';

export interface VerifyResult {
  ticks: number;
  /** Ticks (sequence numbers) each side received, in order. */
  stockClient: number;
  rawClient: number;
  /** Both received the same ticks, field for field, in the same order. */
  sameTicks: boolean;
  /** Both received the same messages under the same event ids (coalescing can differ by timing). */
  sameMessages: boolean;
  /** Every message id the stock client saw is one the raw client saw too. */
  idsAgree: boolean;
}

const ticksOf = (messages: WireMessage[]) =>
  messages.flatMap((m) => {
    const message = m.data as { type: string; upserts?: Array<{ volume: number }>; items?: Array<{ volume: number }> };
    return message.type === 'changes' ? (message.upserts ?? []) : (message.items ?? []);
  });

/**
 * The stock `@trpc/client` (createWSClient + wsLink) and the bench's bare protocol client subscribe
 * to the same prices; both must receive the same ticks with the same ids.
 */
export async function verifyStockClient(fleet: Fleet, ticks = 200, rate = 100): Promise<VerifyResult> {
  const input = { symbols: BENCH_SYMBOLS };
  const stock: WireMessage[] = [];
  const wsClient = createWSClient({ url: `${fleet.url}/trpc`, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  const api = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  let started!: () => void;
  const isStarted = new Promise<void>((resolve) => (started = resolve));
  const sub = api.market.onPrices.subscribe(input, {
    onStarted: () => started(),
    onData: (d) => void stock.push({ id: d.id, data: d.data }),
  });
  const raw = await openParsed(fleet.url, { input });
  try {
    await isStarted;
    await sleep(200);
    const from = fleet.take(ticks);
    await fleet.server.request('publish', { from, count: ticks, rate }, 30_000);
    const all = (m: WireMessage[]) => ticksOf(m).filter((t) => t.volume >= from).length >= ticks;
    await raw.until(all, 5_000).catch(() => {});
    for (let i = 0; i < 50 && !all(stock); i++) await sleep(100);
    const fresh = (m: WireMessage[]) => ticksOf(m).filter((t) => t.volume >= from);
    const rawIds = new Set(raw.messages.map((m) => m.id));
    return {
      ticks,
      stockClient: fresh(stock).length,
      rawClient: fresh(raw.messages).length,
      sameTicks: JSON.stringify(fresh(stock)) === JSON.stringify(fresh(raw.messages)) && fresh(stock).length === ticks,
      sameMessages: JSON.stringify(stock) === JSON.stringify(raw.messages),
      idsAgree: stock.every((m) => rawIds.has(m.id)),
    };
  } finally {
    sub.unsubscribe();
    wsClient.close();
    raw.socket.terminate();
  }
}
