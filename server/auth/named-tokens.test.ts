import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env';
import { authFromEnv } from './config';
import { namedTokensSchema } from './named-tokens';
import { resolveToken } from './tokens';

describe('DESK_TOKENS', () => {
  it('parses name:role:token entries', () => {
    expect(namedTokensSchema.parse(' alice:operator:aaaaaaaaaaaaaaaa1 , grafana:viewer:bbbbbbbbbbbbbbbb:2 ,')).toEqual([
      { name: 'alice', role: 'operator', token: 'aaaaaaaaaaaaaaaa1' },
      { name: 'grafana', role: 'viewer', token: 'bbbbbbbbbbbbbbbb:2' },
    ]);
  });

  it('lists every bad entry by position and name, never by its token', () => {
    const result = namedTokensSchema.safeParse(
      'ok:admin:cccccccccccccccc1,bob:boss:dddddddddddddddd1,carol:viewer:short,justatoken,ok:viewer:eeeeeeeeeeeeeeee1,x y:viewer:ffffffffffffffff1,dup:viewer:cccccccccccccccc1',
    );
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message);
    expect(messages).toEqual([
      'entry 2 (bob): the role must be viewer, operator or admin',
      'entry 3 (carol): the token must be at least 16 characters',
      'entry 4: expected name:role:token',
      'entry 5 (ok): the name ok is used twice',
      expect.stringMatching(/^entry 6 \(x y\): a name is/),
      'entry 7 (dup): the same token is listed twice',
    ]);
    for (const message of messages) expect(message).not.toMatch(/dddd|short|cccc|eeee/);
  });

  it('reaches the desk from the environment next to unnamed tokens, and a bad one stops the start', () => {
    const env = parseEnv({ DESK_TOKENS: 'alice:operator:alice-token-0123456789', DESK_VIEWER_TOKENS: 'viewer-token-0123456789', DESK_REVOKED_TOKENS: 'mallory' });
    const { auth } = authFromEnv(env);
    expect(resolveToken(auth, 'alice-token-0123456789')).toEqual({ role: 'operator', id: 'alice', name: 'alice', expiresAt: null });
    expect(resolveToken(auth, 'viewer-token-0123456789')).toMatchObject({ role: 'viewer', id: expect.stringMatching(/^viewer-/) });
    expect(auth.revoked).toEqual(['mallory']);
    expect(() => parseEnv({ DESK_TOKENS: 'a:admin:x,b:root:yyyyyyyyyyyyyyyyyy' })).toThrow(/DESK_TOKENS: entry 1 \(a\).*\n.*DESK_TOKENS: entry 2 \(b\)/);
  });
});
