import { describe, expect, it } from 'vitest';
import { feedInput } from './feed-filter';

describe('feedInput', () => {
  it('leaves empty filters out so the server sends everything', () => {
    expect(feedInput({ agentId: ' ', symbol: '' }, 50)).toEqual({ limit: 50 });
  });

  it('passes the agent and upper-cased symbols', () => {
    expect(feedInput({ agentId: 'alpha ', symbol: 'aapl, msft' }, 20)).toEqual({ limit: 20, agentId: 'alpha', symbols: ['AAPL', 'MSFT'] });
  });
});
