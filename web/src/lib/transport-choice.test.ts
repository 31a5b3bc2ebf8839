import { describe, expect, it } from 'vitest';
import { transportFromSearch } from './transport-choice';

describe('transportFromSearch', () => {
  it('takes SSE when the address asks for it, in any case', () => {
    expect(transportFromSearch('?transport=sse')).toBe('sse');
    expect(transportFromSearch('?layout=compact&transport=SSE')).toBe('sse');
  });

  it('keeps the WebSocket otherwise', () => {
    expect(transportFromSearch('')).toBe('ws');
    expect(transportFromSearch('?transport=ws')).toBe('ws');
    expect(transportFromSearch('?transport=carrier-pigeon')).toBe('ws');
    expect(transportFromSearch('?transport')).toBe('ws');
  });
});
