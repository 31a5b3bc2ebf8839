import { describe, expect, it } from 'vitest';
import { answerOf } from './answer-id';

describe('answerOf', () => {
  it('reads numeric and string ids as JSON.stringify writes them, with or without jsonrpc', () => {
    expect(answerOf(JSON.stringify({ id: 12, result: { type: 'data', data: { id: 99 } } }))).toEqual({ key: '12', kind: 'data' });
    expect(answerOf(JSON.stringify({ id: 'a"b\\', jsonrpc: '2.0', result: { type: 'started' } }))).toEqual({ key: JSON.stringify('a"b\\'), kind: 'started' });
    expect(answerOf(JSON.stringify({ id: '7', result: { type: 'stopped' } }))).toEqual({ key: '"7"', kind: 'stopped' });
    expect(answerOf(JSON.stringify({ id: -1.5, error: { message: 'no', code: -32600 } }))).toEqual({ key: '-1.5', kind: 'error' });
  });

  it('has nothing to say of frames without a request id', () => {
    expect(answerOf('PING')).toBeNull();
    expect(answerOf(JSON.stringify({ id: null, error: { message: 'x' } }))).toBeNull();
    expect(answerOf(JSON.stringify({ id: null, method: 'reconnect' }))).toBeNull();
    expect(answerOf('{"id":"unterminated')).toBeNull();
  });
});
