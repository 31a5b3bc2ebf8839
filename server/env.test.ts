import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('has request limits that refuse nonsense', () => {
    expect(parseEnv({}).DESK_MAX_BATCH).toBe(100);
    expect(() => parseEnv({ DESK_MAX_IN_FLIGHT: '0' })).toThrow(/DESK_MAX_IN_FLIGHT/);
  });
});
