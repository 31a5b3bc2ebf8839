import { describe, expect, it } from 'vitest';
import { bearerToken } from './bearer';

describe('bearerToken', () => {
  it.each(['Bearer t0k', 'bearer t0k', 'BEARER t0k', 'Bearer   t0k', 'Bearer\tt0k', 'Bearer t0k '])('reads the token from %j', (header) => {
    expect(bearerToken(header)).toBe('t0k');
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Bearert0k', 'Basic dXNlcg==', 't0k', 'Bearer a b'])('finds none in %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});
