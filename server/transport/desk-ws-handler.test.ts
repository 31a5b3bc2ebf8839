import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, createWSClient, wsLink, type TRPCClientError } from '@trpc/client';
import { initTRPC, tracked, TRPCError } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { z } from 'zod';
import { applyDeskWSHandler } from './desk-ws-handler';

/**
 * The desk transport with a router of the kind a developer wires in beside the desk's own streams:
 * plain generator and observable subscriptions, a query, a failing subscription. They run as the
 * stock adapter runs them, through the real tRPC client.
 */
const t = initTRPC.context<{ user: string }>().create();
let finished = 0;
const router = t.router({
  whoami: t.procedure.query(({ ctx }) => ctx.user),
  count: t.procedure.input(z.object({ to: z.number().int().min(1) })).subscription(async function* ({ input, signal }) {
    try {
      for (let i = 1; i <= input.to && !signal?.aborted; i++) yield tracked(String(i), { n: i });
    } finally {
      finished++;
    }
  }),
  forever: t.procedure.subscription(async function* ({ signal }) {
    try {
      for (let i = 0; !signal?.aborted; i++) {
        yield i;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      finished++;
    }
  }),
  ticks: t.procedure.subscription(() =>
    observable<string>((emit) => {
      emit.next('a');
      emit.next('b');
      emit.complete();
    }),
  ),
  broken: t.procedure.subscription(async function* () {
    yield 'first';
    throw new TRPCError({ code: 'CONFLICT', message: 'feed went away' });
  }),
});

let server: Server;
let wss: WebSocketServer;
let url: string;
beforeAll(async () => {
  server = createServer();
  wss = new WebSocketServer({ server });
  applyDeskWSHandler({ wss, router, createContext: () => ({ user: 'dev' }) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of wss.clients) socket.terminate();
  await new Promise((resolve) => wss.close(resolve));
  await new Promise((resolve) => server.close(resolve));
});

function client() {
  const ws = createWSClient({ url, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, retryDelayMs: () => 50 });
  return { api: createTRPCClient<typeof router>({ links: [wsLink({ client: ws })] }), close: () => ws.close() };
}

/** Collects one subscription until it completes or fails. */
function collect<T>(subscribe: (handlers: { onData(value: T): void; onComplete(): void; onError(error: unknown): void }) => void) {
  return new Promise<{ data: T[]; error?: TRPCClientError<typeof router> }>((resolve) => {
    const data: T[] = [];
    subscribe({
      onData: (value) => data.push(value),
      onComplete: () => resolve({ data }),
      onError: (error) => resolve({ data, error: error as TRPCClientError<typeof router> }),
    });
  });
}

describe('the desk WebSocket handler with subscriptions that are not desk streams', () => {
  it('answers queries with the context it made for the connection', async () => {
    const { api, close } = client();
    expect(await api.whoami.query()).toBe('dev');
    close();
  });

  it('streams a generator in order with its tracked ids, then completes', async () => {
    const { api, close } = client();
    const before = finished;
    const got = await collect<{ id: string; data: { n: number } }>((handlers) => api.count.subscribe({ to: 5 }, handlers));
    expect(got.error).toBeUndefined();
    expect(got.data).toEqual([1, 2, 3, 4, 5].map((n) => ({ id: String(n), data: { n } })));
    await expect.poll(() => finished).toBe(before + 1);
    close();
  });

  it('streams an observable and completes', async () => {
    const { api, close } = client();
    const got = await collect<string>((handlers) => api.ticks.subscribe(undefined, handlers));
    expect(got).toEqual({ data: ['a', 'b'] });
    close();
  });

  it('delivers what came before an error, then the error in tRPC’s shape', async () => {
    const { api, close } = client();
    const got = await collect<string>((handlers) => api.broken.subscribe(undefined, handlers));
    expect(got.data).toEqual(['first']);
    expect(got.error?.data?.code).toBe('CONFLICT');
    expect(got.error?.message).toBe('feed went away');
    close();
  });

  it('rejects bad input with BAD_REQUEST before running the procedure', async () => {
    const { api, close } = client();
    const got = await collect<unknown>((handlers) => api.count.subscribe({ to: 0 }, handlers));
    expect(got.data).toEqual([]);
    expect(got.error?.data?.code).toBe('BAD_REQUEST');
    close();
  });

  it('stops the generator when the client unsubscribes, and when the socket closes', async () => {
    const { api, close } = client();
    const before = finished;
    const seen: number[] = [];
    const sub = api.forever.subscribe(undefined, { onData: (n) => seen.push(n) });
    await expect.poll(() => seen.length).toBeGreaterThan(2);
    sub.unsubscribe();
    await expect.poll(() => finished).toBe(before + 1);

    const again: number[] = [];
    api.forever.subscribe(undefined, { onData: (n) => again.push(n) });
    await expect.poll(() => again.length).toBeGreaterThan(2);
    close();
    await expect.poll(() => finished).toBe(before + 2);
  });
});
