import { createTRPCClient, createWSClient, wsLink, type TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsTransport } from '../app';
import type { AppRouter } from '../root';
import { startTestDesk, type TestDesk } from './harness';

const VIEWER = 'viewer-token-0123456789';
const here = process.cwd();

/** Reads a streaming response for a moment and returns what arrived. */
async function readFor(res: Response, ms: number): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const next = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now()))]);
    if (next === null || next.done) break;
    text += decoder.decode(next.value);
  }
  await reader.cancel().catch(() => undefined);
  return text;
}

describe.each<WsTransport>(['desk', 'stock'])('error responses carry no stack trace (%s transport)', (transport) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ transport, statsIntervalMs: 3_600_000, auth: { tokens: { [VIEWER]: 'viewer' } } });
  });
  afterAll(() => desk.close());

  it('over HTTP', async () => {
    for (const [path, init] of [
      ['system.stats', {}],
      ['no.such', {}],
      ['feeds.broadcastCustom', { method: 'POST', body: '{"type":', headers: { authorization: `Bearer ${VIEWER}` } }],
      ['market.executeTrade', { method: 'POST', body: '{"symbol":7}', headers: { authorization: `Bearer ${VIEWER}` } }],
    ] as const) {
      const res = await fetch(`${desk.app.url}/trpc/${path}`, init);
      const text = await res.text();
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(text, path).not.toContain('"stack"');
      expect(text, path).not.toContain(here);
    }
  });

  it('over WebSocket', async () => {
    const wsClient = createWSClient({ url: desk.app.wsUrl, WebSocket: WebSocket as never, connectionParams: { token: VIEWER } });
    const api = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    try {
      const errors = await Promise.all([
        api.system.stats.query().catch((e: TRPCClientError<AppRouter>) => e),
        api.market.executeTrade.mutate({ symbol: 'AAPL', side: 'buy', qty: 1 }).catch((e: TRPCClientError<AppRouter>) => e),
        new Promise<TRPCClientError<AppRouter>>((resolve) => {
          api.system.onStats.subscribe(undefined, { onError: resolve });
        }),
      ]);
      // Refused before it runs or by its middleware, a call's error names its procedure, as tRPC's own does.
      expect(errors.map((error) => (error as TRPCClientError<AppRouter>).data?.path)).toEqual(['system.stats', 'market.executeTrade', 'system.onStats']);
      for (const error of errors) {
        expect((error as TRPCClientError<AppRouter>).data?.code).toBe('FORBIDDEN');
        expect(JSON.stringify((error as TRPCClientError<AppRouter>).shape)).not.toContain(here);
        expect((error as TRPCClientError<AppRouter>).data).not.toHaveProperty('stack');
      }
    } finally {
      wsClient.close();
    }
  });

  it('over SSE', async () => {
    for (const query of ['', `?connectionParams=${encodeURIComponent(JSON.stringify({ token: VIEWER }))}`]) {
      const res = await fetch(`${desk.app.url}/trpc/system.onStats${query}`, { headers: { accept: 'text/event-stream' } });
      const text = await readFor(res, 500);
      expect(text).toMatch(/UNAUTHORIZED|FORBIDDEN/);
      expect(text).not.toContain('"stack"');
      expect(text).not.toContain(here);
    }
  });
});
