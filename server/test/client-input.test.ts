import { fc } from '@fast-check/vitest';
import { createTRPCClient, httpBatchLink, type TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../root';
import { sseMux } from '../../shared/sse-mux';
import { startTestDesk, type TestDesk } from './harness';

const ADMIN = 'admin-token-0123456789';

const nested = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
};

// The shared client over each of its transports: an input that cannot be serialized fails at once
// as BAD_REQUEST, is never retried as if the connection had failed, and leaves the client working.
describe.each(['ws', 'sse', 'sse-mux'] as const)('inputs the client cannot send (%s)', (transport) => {
  let desk: TestDesk;
  let retries = 0;
  let closes = 0;
  let api: ReturnType<TestDesk['client']>;
  beforeAll(async () => {
    desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens: { [ADMIN]: 'admin' } } });
    api = desk.client({
      token: ADMIN,
      ...(transport === 'sse' ? { transport: 'sse' as const } : transport === 'sse-mux' ? { transport: sseMux() } : {}),
      retryDelayMs: () => {
        retries++;
        return 10;
      },
      onConnectionChange: (state) => {
        if (state === 'closed') closes++;
      },
    });
  });
  afterAll(() => desk.close());

  it('refuses a mutation nested 20,000 levels deep, or carrying a BigInt, with BAD_REQUEST and where, writing nothing', async () => {
    const before = desk.app.desk.hub.lastId;
    for (const [data, reason] of [
      [nested(20_000), /cannot be sent: it is nested deeper than 1000 levels at data\[0\]/],
      [{ qty: 10n }, /cannot be sent: a BigInt at data\.qty has no JSON form/],
    ] as const) {
      const error = (await api.feeds.broadcastCustom.mutate({ type: 'x', data: data as never }).catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
      expect(error.message).toMatch(/^the input of feeds\.broadcastCustom /);
      expect(error.message).toMatch(reason);
      expect(error.data?.code).toBe('BAD_REQUEST');
    }
    expect(retries).toBe(0);
    expect(desk.app.desk.hub.lastId).toBe(before);
    await expect(api.feeds.broadcastCustom.mutate({ type: 'x', data: { ok: true } })).resolves.toMatchObject({ eventId: expect.any(String) });
  });

  it('reports a subscription whose input refers to itself once, through onError, instead of retrying it unseen', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const errors: TRPCClientError<AppRouter>[] = [];
    const sub = api.market.onPrices.subscribe({ symbols: [cyclic] } as never, {
      onData: () => undefined,
      onError: (error) => errors.push(error as TRPCClientError<AppRouter>),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    sub.unsubscribe();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.data?.code).toBe('BAD_REQUEST');
    expect(errors[0]!.message).toBe('the input of market.onPrices cannot be sent: it refers to itself at symbols[0].self (a cycle has no JSON form)');
    expect(retries).toBe(0);
  });

  it('refuses a subscription too large for what carries it as PAYLOAD_TOO_LARGE, and the others on its connection go on', async () => {
    const seen: string[] = [];
    const other = api.feeds.onNotifications.subscribe(undefined, { onData: (m) => seen.push(m.id) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Over SSE the input travels in a URL (6,000 characters encoded), over the WebSocket in a frame
    // (64 KiB), over the multiplexed stream in a subscribe request's body (1 MiB).
    const size = transport === 'sse' ? 20_000 : transport === 'ws' ? 70_000 : 1_100_000;
    const errors: TRPCClientError<AppRouter>[] = [];
    const big = api.market.onPrices.subscribe({ symbols: ['A'.repeat(size)] }, { onData: () => undefined, onError: (e) => errors.push(e as TRPCClientError<AppRouter>) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    big.unsubscribe();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.data?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(errors[0]!.message).toMatch(
      transport === 'sse'
        ? /^the input of market.onPrices cannot be sent: it is 20034 characters percent-encoded, over the 6000 the URL it travels in carries$/
        : new RegExp(`^the input of market.onPrices cannot be sent: it is ${size + 16} bytes as JSON, over the \\d+ (a WebSocket frame|an HTTP request body)`),
    );
    expect(retries).toBe(0);
    expect(closes).toBe(0);
    const before = seen.length;
    await api.feeds.pushNotification.mutate({ title: 'still here', body: '', severity: 'info' });
    await expect.poll(() => seen.length).toBeGreaterThan(before);
    other.unsubscribe();
  });

  it('refuses a mutation over the request body limit before sending it, and splits a batch of queries before its URL outgrows what the desk reads', async () => {
    const error = (await api.feeds.broadcastCustom.mutate({ type: 'x', data: { blob: 'x'.repeat(1_100_000) } }).catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
    expect(error.data?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/^the input of feeds\.broadcastCustom cannot be sent: it is 1100083 bytes as JSON, over the 1047552 an HTTP request body/);
    // Ten queries of 3,000 bytes each in one turn: in one URL they would be refused whole (431);
    // split, each reaches the desk and gets its own answer (the symbol is not one).
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.market.candles.query({ symbol: `${i}`.repeat(3_000), interval: '1m' }).catch((e: unknown) => e as TRPCClientError<AppRouter>)),
    );
    for (const answer of answers) {
      expect((answer as TRPCClientError<AppRouter>).data?.code).toBe('BAD_REQUEST');
      expect((answer as TRPCClientError<AppRouter>).message).toMatch(/symbol must be 1-12 letters/);
    }
    expect(retries).toBe(0);
  });

  it('sends mutations that each fit in batches that fit: fifty of 27 KB in one turn all land', async () => {
    const before = desk.app.desk.hub.lastId;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api.feeds.broadcastCustom.mutate({ type: 'bulk', data: { i, parts: ['x', 'y', 'z'].map((c) => c.repeat(9_000)) } }).then(
        () => 'ok',
        (e: unknown) => (e as TRPCClientError<AppRouter>).data?.code ?? (e as Error).message,
      )),
    );
    expect(answers).toEqual(Array.from({ length: 50 }, () => 'ok'));
    // At the first attempt: a batch refused whole came back as "Unable to transform response from
    // server", with no code, and its calls were sent again one by one as after a lost connection.
    expect(retries).toBe(0);
    expect(desk.app.desk.hub.lastId).toBeGreaterThanOrEqual(before + 50);
  });

  it('checks the input as the links before it leave it: a class whose toJSON the copy with the idempotency key drops is refused, not retried', async () => {
    // The whole input a class: the key's copy keeps its own fields and drops its prototype's toJSON.
    class Custom {
      type = 'x';
      data = { n: 10n };
      toJSON() {
        return { type: this.type, data: { n: String(this.data.n) } };
      }
    }
    const error = (await api.feeds.broadcastCustom.mutate(new Custom() as never).catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/a BigInt at data\.n/);
    expect(retries).toBe(0);
  });

  // What must always hold: whatever a program passes, a call either succeeds or fails with a code
  // (the desk's answer, or the client's own refusal), at once and without being retried; an error
  // with no code would mean the client took a refusal for a lost connection.
  it('answers every input with a result or a coded error, never a retry (seeded)', async () => {
    const cyclic = (inner: unknown) => {
      const holder: Record<string, unknown> = { inner };
      holder.self = holder;
      return holder;
    };
    const anything = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.bigInt().map((n) => ({ n })),
      fc.jsonValue({ maxDepth: 2 }).map(cyclic),
      fc.integer({ min: 1_001, max: 5_000 }).map(nested),
      fc.constantFrom(70_000, 1_100_000).map((n) => 'x'.repeat(n)),
    );
    await fc.assert(
      fc.asyncProperty(anything, async (value) => {
        const outcome = await api.feeds.broadcastCustom.mutate({ type: 'fuzz', data: value as never }).then(
          () => 'ok',
          (e: unknown) => (e as TRPCClientError<AppRouter>).data?.code ?? `no code: ${(e as Error).message}`,
        );
        expect(outcome).toMatch(/^(ok|BAD_REQUEST|PAYLOAD_TOO_LARGE)$/);
        let sub: { unsubscribe(): void } | undefined;
        const subscribed = await new Promise<string>((resolve) => {
          setTimeout(() => resolve('nothing within 2 s'), 2_000);
          sub = api.market.onPrices.subscribe({ symbols: [value] } as never, {
            onStarted: () => resolve('started'),
            onData: () => resolve('started'),
            onError: (e) => resolve((e as TRPCClientError<AppRouter>).data?.code ?? `no code: ${e.message}`),
          });
        });
        sub?.unsubscribe();
        expect(subscribed).toMatch(/^(started|BAD_REQUEST|PAYLOAD_TOO_LARGE)$/);
      }),
      { seed: 1703, numRuns: 40 },
    );
    expect(retries).toBe(0);
    expect(closes).toBe(0);
  }, 60_000);
});

// The desk's side of the same: a stock tRPC client, with no check of its own, whose batch of
// mutations is over the body limit gets the code on every call of it.
describe('a batch over the body limit from a stock tRPC client', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ statsIntervalMs: 3_600_000, maxBodyBytes: 64 * 1024, auth: { tokens: { [ADMIN]: 'admin' } } });
  });
  afterAll(() => desk.close());

  it('fails each call with PAYLOAD_TOO_LARGE in tRPC shape, not as an answer the client cannot read', async () => {
    const api = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${desk.app.url}/trpc`, headers: { authorization: `Bearer ${ADMIN}` } })] });
    const before = desk.app.desk.hub.lastId;
    const errors = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.feeds.broadcastCustom.mutate({ type: 'bulk', data: { i, blob: 'x'.repeat(9_000) } }).catch((e: unknown) => e as TRPCClientError<AppRouter>),
      ),
    );
    for (const error of errors) {
      expect((error as TRPCClientError<AppRouter>).data?.code).toBe('PAYLOAD_TOO_LARGE');
      expect((error as TRPCClientError<AppRouter>).message).toMatch(/request body over 65536 bytes \(DESK_MAX_BODY_BYTES\)/);
    }
    expect(desk.app.desk.hub.lastId).toBe(before);
  });
});
