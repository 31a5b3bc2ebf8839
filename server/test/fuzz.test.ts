import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { z } from 'zod';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { appRouter } from '../root';
import { collector, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, limits: { mutationsPerSecond: 1e6, mutationBurst: 1e6, maxSubscriptions: 100_000 } });
});
afterAll(() => desk.close());

type Procedure = { _def: { type: string; inputs: z.ZodType[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

/** A seeded PRNG so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s + 0x6d2b79f5) >>> 0), ((Math.imul(s ^ (s >>> 15), s | 1) ^ (s >>> 7)) >>> 0) / 4294967296);
}

const WRONG_VALUES: unknown[] = [
  null, true, false, 0, -1, 1e308, -1e308, 1.5, '', ' ', 'x'.repeat(5000), '\u0000', '<script>', [], [1, 2], {}, { nested: { deep: [] } },
  '9'.repeat(40), -0, 'NaN', [null], [''.padEnd(300, 'y')], { __proto__: { polluted: true } },
];

/** Every top-level field of a procedure's input objects. */
function fieldsOf(procedure: Procedure): string[] {
  const names = new Set<string>();
  for (const input of procedure._def.inputs) {
    let schema: unknown = input;
    // Unwrap defaults/optionals to reach the object shape.
    for (let i = 0; i < 5 && schema && typeof schema === 'object' && !('shape' in schema); i++) {
      schema = (schema as { def?: { innerType?: unknown } }).def?.innerType;
    }
    const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
    for (const key of Object.keys(shape ?? {})) names.add(key);
  }
  return [...names];
}

function isValidInput(procedure: Procedure, input: unknown): boolean {
  return procedure._def.inputs.length > 0 && procedure._def.inputs.every((schema) => schema.safeParse(input).success);
}

/** The malformed frames: random bytes, broken JSON, wrong envelopes, unknown paths, huge ids, wrong input types. */
function* cases(next: () => number): Generator<{ kind: string; frame: string | Buffer }> {
  let id = 1;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const message = (method: string, path: string, input: unknown) => JSON.stringify({ id: id++, method, params: { path, input } });
  for (let i = 0; i < 1500; i++) yield { kind: 'random bytes', frame: randomBytes(1 + Math.floor(next() * 200)) };
  for (let i = 0; i < 1500; i++) yield { kind: 'invalid json', frame: `{"id":${i},"method":"query","params":{` + 'x'.repeat(Math.floor(next() * 50)) };
  const envelopes = [{}, [], null, 42, '"str"', { id: 1 }, { method: 'query' }, { id: 1, method: 'bogus', params: {} }, { id: {}, method: 'query', params: { path: 'system.health' } }, { id: 1, method: 'query' }, { id: 1, method: 'query', params: null }, { id: 1, jsonrpc: '1.0', method: 'mutation', params: { path: 7 } }];
  for (let i = 0; i < 1000; i++) yield { kind: 'wrong envelope', frame: JSON.stringify(pick(envelopes)) };
  for (let i = 0; i < 1000; i++) yield { kind: 'unknown path', frame: message(pick(['query', 'mutation', 'subscription']), pick(['nope', 'market', 'market.nope', '__proto__.x', 'system.health.x', '']), {}) };
  for (let i = 0; i < 500; i++) yield { kind: 'huge id', frame: JSON.stringify({ id: pick(['9'.repeat(400), Number.MAX_VALUE, -1, 1.5, 'id'.repeat(1000)]), method: 'query', params: { path: 'system.health' } }) };
  for (let i = 0; i < 100; i++) yield { kind: 'wrong method for path', frame: message(pick(['query', 'subscription']), pick(['market.executeTrade', 'feeds.broadcastCustom'])!, {}) };
  const withInputs = procedures.filter(([, p]) => fieldsOf(p).length > 0);
  let generated = 0;
  while (generated < 5000) {
    const [path, procedure] = pick(withInputs);
    const fields = fieldsOf(procedure);
    const input: Record<string, unknown> = {};
    for (const field of fields) if (next() < 0.5) input[field] = pick(WRONG_VALUES);
    input[pick(fields)] = pick(WRONG_VALUES);
    const candidate = next() < 0.05 ? pick(WRONG_VALUES) : input;
    if (isValidInput(procedure, candidate)) continue; // not malformed after all
    generated++;
    yield { kind: 'wrong input types', frame: message(procedure._def.type, path, candidate) };
  }
  for (let i = 0; i < 20; i++) yield { kind: 'oversized', frame: 'x'.repeat(65 * 1024) };
}

/** A raw socket that reports, for each frame sent, the reply or the close it caused. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

function answer(socket: WebSocket): Promise<{ kind: 'reply'; body: unknown } | { kind: 'close'; code: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no reply and no close within 5 s')), 5000);
    const onMessage = (raw: WebSocket.RawData) => done({ kind: 'reply', body: JSON.parse(String(raw)) });
    const onClose = (code: number) => done({ kind: 'close', code });
    function done(result: { kind: 'reply'; body: unknown } | { kind: 'close'; code: number }) {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(result);
    }
    socket.on('message', onMessage);
    socket.on('close', onClose);
  });
}

describe('fuzzing the WebSocket and HTTP endpoints', () => {
  it('survives 10,000+ malformed frames: each gets a typed error or a close, and a good client is unaffected', async () => {
    const good = collector<StreamMessage<DeskCustomEvent>>();
    const sub = desk.client().feeds.onCustom.subscribe({ type: 'good', limit: 0 }, good);
    await good.until((m) => m.length > 0);
    let published = 0;
    const ticker = setInterval(() => desk.app.desk.activity.broadcastCustom({ type: 'good', data: published++ }), 10);

    const tally = new Map<string, number>();
    let total = 0;
    let socket = await connect(desk.app.wsUrl);
    try {
      for (const { kind, frame } of cases(random(20261123))) {
        if (socket.readyState !== WebSocket.OPEN) socket = await connect(desk.app.wsUrl);
        const reply = answer(socket);
        socket.send(frame);
        const result = await reply.catch((error: Error) => {
          throw new Error(`${kind} ${String(frame).slice(0, 120)}: ${error.message}`);
        });
        total++;
        if (result.kind === 'close') {
          expect([1009, 1007, 1002, 1003], `${kind} closed with ${result.code}`).toContain(result.code);
          tally.set(`${kind}: close ${result.code}`, (tally.get(`${kind}: close ${result.code}`) ?? 0) + 1);
          continue;
        }
        const body = result.body as { error?: { data?: { code?: string } }; result?: unknown };
        // A huge but well-formed id on a valid call is answered normally, under that id.
        if (kind === 'huge id' && body.result !== undefined) {
          tally.set(`${kind}: answered`, (tally.get(`${kind}: answered`) ?? 0) + 1);
          continue;
        }
        if (!/^[A-Z_]+$/.test(String(body.error?.data?.code))) {
          throw new Error(`${kind} ${String(frame).slice(0, 160)} got ${JSON.stringify(body).slice(0, 300)}`);
        }
        tally.set(`${kind}: ${body.error!.data!.code}`, (tally.get(`${kind}: ${body.error!.data!.code}`) ?? 0) + 1);
      }
    } finally {
      clearInterval(ticker);
      socket.close();
    }
    expect(total).toBeGreaterThanOrEqual(10_000);

    // Bad connectionParams: the first frame of a connection that promised them.
    const badParams = [{}, { method: 'connectionParams' }, { method: 'connectionParams', data: 42 }, { method: 'connectionParams', data: { token: 7 } }, { method: 'connectionParams', data: ['x'] }, 'garbage'];
    for (let i = 0; i < 200; i++) {
      const params = await connect(`${desk.app.wsUrl}?connectionParams=1`);
      const reply = answer(params);
      params.send(typeof badParams[i % badParams.length] === 'string' ? 'garbage' : JSON.stringify(badParams[i % badParams.length]));
      const result = await reply;
      total++;
      const code = result.kind === 'close' ? `close ${result.code}` : (result.body as { error?: { data?: { code?: string } } }).error?.data?.code;
      expect(code, `connectionParams ${JSON.stringify(badParams[i % badParams.length])}`).toMatch(/^(close \d+|[A-Z_]+)$/);
      tally.set(`bad connectionParams: ${code}`, (tally.get(`bad connectionParams: ${code}`) ?? 0) + 1);
      params.close();
    }

    // HTTP: bad bodies and paths get typed errors too.
    for (let i = 0; i < 300; i++) {
      const body = i % 3 === 0 ? randomBytes(64) : i % 3 === 1 ? '{"broken' : JSON.stringify({ symbol: i, side: [] });
      const res = await fetch(`${desk.app.url}/trpc/${i % 2 ? 'market.executeTrade' : 'no.such'}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toMatch(/^[A-Z_]+$/);
    }

    const items = () => good.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data) : []));
    await good.until(() => items().length === published, 10_000);
    expect(items()).toEqual(Array.from({ length: published }, (_, i) => i));
    expect(good.messages.filter((m) => m.data.type === 'snapshot')).toHaveLength(1);
    expect(published).toBeGreaterThan(10);
    sub.unsubscribe();
    console.log(Object.fromEntries([...tally].sort()));
  }, 120_000);
});
