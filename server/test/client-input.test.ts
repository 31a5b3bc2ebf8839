import type { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../root';
import { startTestDesk, type TestDesk } from './harness';

const ADMIN = 'admin-token-0123456789';

const nested = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
};

// The shared client over each of its transports: an input that cannot be serialized fails at once
// as BAD_REQUEST, is never retried as if the connection had failed, and leaves the client working.
describe.each(['ws', 'sse'] as const)('inputs the client cannot send (%s)', (transport) => {
  let desk: TestDesk;
  let retries = 0;
  let api: ReturnType<TestDesk['client']>;
  beforeAll(async () => {
    desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens: { [ADMIN]: 'admin' } } });
    api = desk.client({
      token: ADMIN,
      ...(transport === 'sse' ? { transport: 'sse' as const } : {}),
      retryDelayMs: () => {
        retries++;
        return 10;
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
});
