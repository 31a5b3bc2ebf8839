import { describe, expect, it } from 'vitest';
import { createSseMuxClient, type MuxObserver } from './sse-mux-client';

/**
 * The client's bookkeeping against a scripted stream and scripted answers: what it asks for, in
 * which order, and what it asks for again after a drop. (Over real HTTP against a real desk:
 * server/test/sse-mux.test.ts.)
 */
class ScriptedEventSource {
  static last: ScriptedEventSource | null = null;
  readyState = 0;
  onmessage: ((event: { data: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    ScriptedEventSource.last = this;
  }
  emit(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  fail() {
    this.onerror?.({});
  }
  close() {
    this.closed = true;
  }
}

function setup() {
  const posts: Array<{ body: any; answer: (status?: number, body?: unknown) => void }> = [];
  const opens: number[] = [];
  const closes: number[] = [];
  const client = createSseMuxClient({
    url: 'http://desk.test/',
    connectionParams: { kind: 'script', token: 't' },
    EventSource: ScriptedEventSource as never,
    fetch: (_url, init) =>
      new Promise((resolve) => {
        posts.push({ body: JSON.parse(init.body), answer: (status = 200, body = { result: {} }) => resolve(new Response(JSON.stringify(body), { status })) });
      }),
    retryDelayMs: () => 0,
    onOpen: () => opens.push(1),
    onClose: () => closes.push(1),
  });
  const es = () => ScriptedEventSource.last!;
  return { client, posts, opens, closes, es };
}

function observer() {
  const events: unknown[] = [];
  const errors: unknown[] = [];
  let completed = false;
  const o: MuxObserver = { next: (e) => events.push(e.result), error: (e) => errors.push(e), complete: () => (completed = true) };
  return { o, events, errors, done: () => completed };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createSseMuxClient', () => {
  it('opens the stream at once with its connection params, and asks for the subscriptions of one turn in one request', async () => {
    const { client, posts, es } = setup();
    expect(es().url).toBe(`http://desk.test/sse-mux?connectionParams=${encodeURIComponent('{"kind":"script","token":"t"}')}`);
    client.subscribe('market.onPrices', undefined, observer().o);
    client.subscribe('feeds.onCustom', { type: 'x' }, observer().o);
    await turn();
    expect(posts).toHaveLength(0); // nothing before the stream says its id
    es().emit({ t: 'open', stream: 's1', pingMs: 1000 });
    await turn();
    expect(posts.map((p) => p.body)).toEqual([
      { stream: 's1', subscribe: [{ id: 1, path: 'market.onPrices' }, { id: 2, path: 'feeds.onCustom', input: { type: 'x' } }], unsubscribe: [] },
    ]);
    client.close();
  });

  it('sends a stop only after its start was answered, and not at all for one never sent', async () => {
    const { client, posts, es } = setup();
    es().emit({ t: 'open', stream: 's1', pingMs: 1000 });
    const stopA = client.subscribe('a.onA', undefined, observer().o);
    await turn();
    expect(posts).toHaveLength(1);
    stopA();
    const stopB = client.subscribe('b.onB', undefined, observer().o);
    stopB();
    await turn();
    expect(posts).toHaveLength(1); // the start of a is still unanswered
    posts[0]!.answer();
    await turn();
    await turn();
    expect(posts.map((p) => p.body)).toEqual([
      { stream: 's1', subscribe: [{ id: 1, path: 'a.onA' }], unsubscribe: [] },
      { stream: 's1', subscribe: [], unsubscribe: [1] },
    ]);
    client.close();
  });

  it('hands on data with its id, and after a drop asks again from the last id on the new stream', async () => {
    const { client, posts, es, opens, closes } = setup();
    es().emit({ t: 'open', stream: 's1', pingMs: 1000 });
    const sub = observer();
    client.subscribe('feeds.onCustom', { type: 'x' }, sub.o);
    await turn();
    posts[0]!.answer();
    es().emit({ t: 'started', s: 1 });
    es().emit({ t: 'data', s: 1, id: '41', data: { type: 'snapshot' } });
    es().emit({ t: 'data', s: 1, id: '42', data: { type: 'append' } });
    // A frame for a subscription it does not hold is ignored.
    es().emit({ t: 'data', s: 99, id: '43', data: {} });
    const first = es();
    first.fail();
    expect(first.closed).toBe(true);
    await turn();
    expect(es()).not.toBe(first);
    // Late frames of the old stream are not delivered.
    first.emit({ t: 'data', s: 1, id: '44', data: {} });
    es().emit({ t: 'open', stream: 's2', pingMs: 1000 });
    await turn();
    expect(posts[1]!.body).toEqual({ stream: 's2', subscribe: [{ id: 1, path: 'feeds.onCustom', input: { type: 'x' }, lastEventId: '42' }], unsubscribe: [] });
    expect(sub.events).toEqual([
      { type: 'started' },
      { type: 'data', id: '41', data: { id: '41', data: { type: 'snapshot' } } },
      { type: 'data', id: '42', data: { id: '42', data: { type: 'append' } } },
      { type: 'state', state: 'connecting', error: expect.anything() },
      { type: 'state', state: 'pending', error: null },
    ]);
    expect([opens.length, closes.length]).toEqual([2, 1]);
    client.close();
    expect(sub.done()).toBe(true);
  });

  it('ends the subscriptions of a request refused for good, and drops the stream for an answer that says it is gone', async () => {
    const { client, posts, es } = setup();
    es().emit({ t: 'open', stream: 's1', pingMs: 1000 });
    const refused = observer();
    client.subscribe('system.onPresence', undefined, refused.o);
    await turn();
    posts[0]!.answer(403, { error: { message: 'admin role required', code: -32003, data: { code: 'FORBIDDEN', httpStatus: 403 } } });
    await turn();
    expect((refused.errors[0] as { data: { code: string } }).data.code).toBe('FORBIDDEN');

    const kept = observer();
    client.subscribe('feeds.onCustom', undefined, kept.o);
    await turn();
    const first = es();
    posts[1]!.answer(404, { error: { message: 'no open stream', code: -32004, data: { code: 'NOT_FOUND', httpStatus: 404 } } });
    await turn();
    expect(first.closed).toBe(true);
    expect(kept.errors).toEqual([]);
    await turn();
    expect(es()).not.toBe(first);
    es().emit({ t: 'open', stream: 's2', pingMs: 1000 });
    await turn();
    expect(posts[2]!.body.subscribe).toEqual([{ id: 2, path: 'feeds.onCustom' }]);
    client.close();
  });

  it('tells a subscription made before the stream ever opened that it cannot be reached, once per outage', async () => {
    const { client, es } = setup();
    const sub = observer();
    client.subscribe('market.onPrices', undefined, sub.o);
    es().fail();
    await turn();
    es().fail();
    await turn();
    es().emit({ t: 'open', stream: 's1', pingMs: 1000 });
    expect(sub.events).toEqual([
      { type: 'state', state: 'connecting', error: expect.objectContaining({ message: 'the SSE stream closed' }) },
      { type: 'state', state: 'pending', error: null },
    ]);
    client.close();
  });
});
