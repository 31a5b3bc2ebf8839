import { transformTRPCResponse } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../root';
import { answerFrame, dataFrame, dataFrameHead, RECONNECT_FRAME, stateFrame } from './frames';

const config = appRouter._def._config;

/** What the stock adapter sends for a tracked message (its own construction, then JSON). */
function stock(id: number | string, jsonrpc: '2.0' | undefined, eventId: string, data: unknown): string {
  const result: { type: 'data'; data: unknown; id?: string } = { type: 'data', data };
  result.id = eventId;
  result.data = { id: eventId, data };
  return JSON.stringify(transformTRPCResponse(config, { id, jsonrpc, result }));
}

describe('frames', () => {
  const message = { type: 'changes', upserts: [{ symbol: 'AAPL', price: 1.5, note: 'a "quoted" \u2028 line' }], removes: ['X'] };

  it('splices request and event ids around a shared payload, byte for byte as the stock adapter', () => {
    const payload = JSON.stringify(message);
    for (const [id, jsonrpc] of [[1, undefined], [4_294_967_296, undefined], ['req-"7"', undefined], [3, '2.0']] as const) {
      const frame = dataFrame(dataFrameHead(id, jsonrpc), '1764000000000123', payload);
      expect(frame).toBe(stock(id, jsonrpc, '1764000000000123', message));
      expect(JSON.parse(frame)).toEqual({ id, ...(jsonrpc ? { jsonrpc } : {}), result: { type: 'data', id: '1764000000000123', data: { id: '1764000000000123', data: message } } });
    }
  });

  it('reuses one head for many events', () => {
    const head = dataFrameHead(9);
    expect(JSON.parse(dataFrame(head, '1', '{"a":1}')).result.data).toEqual({ id: '1', data: { a: 1 } });
    expect(JSON.parse(dataFrame(head, '2', '[]')).result.id).toBe('2');
  });

  it('builds an answer byte for byte as the stock adapter does', () => {
    const answers: unknown[] = [
      { eventId: '1000001', trade: { id: 't-1', qty: 0.5, agentId: null, note: 'é "q" \u2028' } },
      { eventId: null },
      [1, 'two', { three: [3] }],
      'text',
      0,
      null,
      undefined,
      { skipped: undefined, kept: 1, when: new Date(0) },
    ];
    for (const data of answers) {
      for (const [id, jsonrpc] of [[1, undefined], ['req-"7"', '2.0']] as const) {
        expect(answerFrame(id, jsonrpc, data)).toBe(JSON.stringify(transformTRPCResponse(config, { id, jsonrpc, result: { type: 'data', data } })));
      }
    }
  });

  it('builds started, stopped and reconnect as the stock adapter does', () => {
    expect(stateFrame(5, undefined, 'started')).toBe(JSON.stringify(transformTRPCResponse(config, { id: 5, result: { type: 'started' } })));
    expect(stateFrame('x', '2.0', 'stopped')).toBe(JSON.stringify(transformTRPCResponse(config, { id: 'x', jsonrpc: '2.0', result: { type: 'stopped' } })));
    expect(RECONNECT_FRAME).toBe(JSON.stringify({ id: null, method: 'reconnect' }));
  });
});
