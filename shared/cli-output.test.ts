import { describe, expect, it } from 'vitest';
import { connectionFailure, errorLine, formatDuration } from './cli-output';

describe('errorLine', () => {
  it('names each offending field of a validation error instead of the raw JSON', () => {
    const error = Object.assign(new Error('[\n  {\n    "code": "too_small" ... }\n]'), {
      data: { code: 'BAD_REQUEST', zodError: { formErrors: [], fieldErrors: { qty: ['Too small: expected number to be >0'], symbol: ['Required'] } } },
    });
    expect(errorLine(error, 'http://d')).toBe('error: invalid input: qty: Too small: expected number to be >0; symbol: Required');
  });

  it('gives the code and message of any other refusal on one line', () => {
    const error = Object.assign(new Error('this call needs the operator role;\nyour token has viewer'), { data: { code: 'FORBIDDEN', zodError: null } });
    expect(errorLine(error, 'http://d')).toBe('error: FORBIDDEN: this call needs the operator role; your token has viewer');
  });

  it('says the desk cannot be reached for a network failure', () => {
    const error = new Error('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4'), { code: 'ECONNREFUSED' }) });
    expect(errorLine(error, 'http://127.0.0.1:4')).toBe('error: cannot reach http://127.0.0.1:4 (ECONNREFUSED)');
    expect(errorLine('boom', 'x')).toBe('error: boom');
    expect(connectionFailure(error)).toBe('ECONNREFUSED');
    expect(connectionFailure(new Error('WebSocket\nclosed'))).toBe('WebSocket closed');
  });
});

describe('formatDuration', () => {
  it('prints milliseconds below a second and seconds above', () => {
    expect([formatDuration(250), formatDuration(1500), formatDuration(15_000)]).toEqual(['250ms', '1.5s', '15s']);
  });
});
