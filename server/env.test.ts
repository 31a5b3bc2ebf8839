import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('reads trusted proxies as a list of addresses and ranges', () => {
    expect(parseEnv({ DESK_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).DESK_TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '::1']);
    expect(parseEnv({}).DESK_TRUSTED_PROXIES).toBeUndefined();
  });

  it('refuses a trusted proxy that is not an address or range, naming it', () => {
    expect(() => parseEnv({ DESK_TRUSTED_PROXIES: '10.0.0.1,lb.internal' })).toThrow(/DESK_TRUSTED_PROXIES: not an IP address or CIDR range: lb.internal/);
  });

  it('has request limits that refuse nonsense', () => {
    expect(parseEnv({}).DESK_MAX_BATCH).toBe(100);
    expect(() => parseEnv({ DESK_MAX_IN_FLIGHT: '0' })).toThrow(/DESK_MAX_IN_FLIGHT/);
  });
});
