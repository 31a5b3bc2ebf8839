import { describe, expect, it } from 'vitest';
import { muxKey, parseMuxRequest } from './sse-mux-request';

describe('parseMuxRequest', () => {
  it('reads subscriptions and stops, with their resume points', () => {
    const body = JSON.stringify({ stream: 's1', subscribe: [{ id: 1, path: 'market.onPrices', input: { symbols: ['A'] }, lastEventId: '42' }, { id: 'x', path: 'feeds.onCustom' }], unsubscribe: [3] });
    expect(parseMuxRequest(body, 10)).toEqual({
      stream: 's1',
      subscribe: [
        { id: 1, path: 'market.onPrices', input: { symbols: ['A'] }, lastEventId: '42' },
        { id: 'x', path: 'feeds.onCustom', input: undefined, lastEventId: null },
      ],
      unsubscribe: [3],
    });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['a string', '"s1"', /JSON object/],
    ['null', 'null', /JSON object/],
    ['no stream', '{"subscribe":[]}', /^stream must/],
    ['a long stream id', JSON.stringify({ stream: 'x'.repeat(65) }), /^stream must/],
    ['subscribe not a list', '{"stream":"s","subscribe":{}}', /subscribe must be an array/],
    ['a fractional id', '{"stream":"s","subscribe":[{"id":1.5,"path":"a.b"}]}', /subscribe\[0\]: id must/],
    ['an empty string id', '{"stream":"s","subscribe":[{"id":"","path":"a.b"}]}', /subscribe\[0\]: id must be 1 to 64/],
    ['a path that is not a string', '{"stream":"s","subscribe":[{"id":1,"path":["a"]}]}', /path must name/],
    ['an id twice', '{"stream":"s","subscribe":[{"id":1,"path":"a.b"},{"id":1,"path":"a.c"}]}', /appears twice/],
    ['too many entries', JSON.stringify({ stream: 's', unsubscribe: [1, 2, 3] }), /at most 2/],
    ['an unsubscribe of null', '{"stream":"s","unsubscribe":[null]}', /unsubscribe\[0\]: id must/],
  ])('refuses %s with a sentence', (_name, body, message) => {
    expect(parseMuxRequest(body, 2)).toMatch(message);
  });

  it('tells a numeric id from the same digits as a string', () => {
    expect(muxKey(1)).not.toBe(muxKey('1'));
    expect(parseMuxRequest('{"stream":"s","subscribe":[{"id":1,"path":"a.b"},{"id":"1","path":"a.b"}]}', 5)).not.toBeTypeOf('string');
  });
});
