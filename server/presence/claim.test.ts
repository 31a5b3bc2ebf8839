import { describe, expect, it } from 'vitest';
import { claimOf } from './claim';

describe('claimOf', () => {
  it('takes a script without params', () => {
    expect(claimOf(null, null)).toEqual({ kind: 'script', agentId: null });
    expect(claimOf({ token: 't' }, 'viewer')).toEqual({ kind: 'script', agentId: null });
  });

  it("honours an agent id only from an operator's or admin's token", () => {
    expect(claimOf({ kind: 'agent', agentId: 'bot-1' }, 'operator')).toEqual({ kind: 'agent', agentId: 'bot-1' });
    expect(claimOf({ kind: 'agent', agentId: 'bot-1' }, 'admin')).toEqual({ kind: 'agent', agentId: 'bot-1' });
    expect(claimOf({ kind: 'agent', agentId: 'bot-1' }, 'viewer')).toEqual({ kind: 'agent', agentId: null });
    expect(claimOf({ kind: 'agent', agentId: 'bot-1' }, null)).toEqual({ kind: 'agent', agentId: null });
  });

  it('refuses an unknown kind or a malformed agent id as BAD_REQUEST', () => {
    expect(() => claimOf({ kind: 'robot' }, 'admin')).toThrow(/kind must be one of dashboard, agent, script/);
    expect(() => claimOf({ kind: 'agent', agentId: 'has space' }, 'admin')).toThrow(/agentId: id may contain/);
  });
});
