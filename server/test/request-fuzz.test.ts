import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import type { WsTransport } from '../app';
import { collector, startTestDesk, type TestDesk } from './harness';
import { sendRaw, type RawRequest } from './raw-http';

/** Replay a failure with `FUZZ_SEED=<seed> npx vitest run server/test/request-fuzz.test.ts`. */
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const RUNS = 1000;

// Pieces that once broke a URL parser, a decoder or a router somewhere.
const targetPiece = fc.constantFrom(
  '/', '//', '\\', '%', '%2e', '%2E%2e', '%2f', '%00', '%ZZ', '%E0%A4%A', '%ff', '[', ']', '::1', ':', ':99999', '?', '#', '@', '.', '..',
  'trpc', 'trpc/', 'health', 'metrics', 'system.health', 'feeds.onCustom', 'system.onStats', '__proto__', 'constructor', '.env', 'data', 'desk.db',
  'admin-token', 'connectionParams=', 'connectionParams=1', 'input=', 'batch=1', '%7B', '%22', '{', '"', 'http:', 'http://', '*', 'a', ',', '&', '=',
);
const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const target = fc.oneof(
  { weight: 4, arbitrary: fc.array(targetPiece, { minLength: 1, maxLength: 10 }).map((pieces) => pieces.join('')) },
  { weight: 1, arbitrary: printable.filter((s) => s.length > 0) },
);
const hostPiece = fc.constantFrom('127.0.0.1', 'localhost', '[', ']', '[::1]', '::1', ':', ':80', ':99999', '%', '%41', '@', '/', 'a b', '', 'ex ample', '\\');
const host = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.array(hostPiece, { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join('')) },
);
const headerValue = fc.oneof(
  fc.constantFrom('', 'text/event-stream', 'application/json', 'Bearer x', 'bearer', 'null', 'http://evil.example', '9'.repeat(400), '10.0.0.1, ::1', '::ffff:1.2.3.4', '1.2.3.4/8', ',,,', '[::1]:80'),
  printable,
);
const request: fc.Arbitrary<RawRequest> = fc.record(
  {
    method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE', 'PATCH', 'FOO'),
    target,
    host,
    upgrade: fc.boolean(),
    headers: fc.dictionary(fc.constantFrom('accept', 'authorization', 'origin', 'last-event-id', 'content-type', 'trpc-accept', 'x-forwarded-for'), headerValue, { maxKeys: 3 }),
    body: fc.option(fc.oneof(fc.constant('{}'), fc.constant('{"type":'), printable), { nil: undefined }),
  },
  { requiredKeys: ['method', 'target', 'upgrade', 'headers'] },
);

describe.each<WsTransport>(['desk', 'stock'])('generated hostile requests (%s transport)', (transport) => {
  let desk: TestDesk;
  beforeAll(async () => {
    // The test client is a trusted proxy, so X-Forwarded-For is parsed too.
    desk = await startTestDesk({ transport, trustedProxies: ['127.0.0.1'], statsIntervalMs: 3_600_000 });
  });
  afterAll(() => desk.close());

  it(`answers ${RUNS} generated request lines and headers below 500, and stays up for a well-behaved client`, async () => {
    console.log(`request fuzz seed ${seed} (${transport}); replay with FUZZ_SEED=${seed}`);
    const good = collector<StreamMessage<DeskCustomEvent>>();
    const api = desk.client();
    const sub = api.feeds.onCustom.subscribe({ type: 'good', limit: 0 }, good);
    await good.until((m) => m.length > 0);

    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const response = await sendRaw(desk.app.port, req, 3000);
        // Every request gets a status line (Node's parser answers 400 for what it cannot read) below 500.
        expect(response.status, response.head).not.toBeNull();
        expect(response.status!, response.head).toBeLessThan(500);
        expect(response.body).not.toContain('"stack"');
      }),
      { seed, numRuns: RUNS },
    );

    expect((await fetch(`${desk.app.url}/health`)).status).toBe(200);
    const { eventId } = await api.feeds.broadcastCustom.mutate({ type: 'good', data: 'after' });
    await good.until((m) => m.some((x) => x.id === eventId));
    sub.unsubscribe();
  }, 120_000);
});
