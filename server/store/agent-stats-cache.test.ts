import { describe, expect, it } from 'vitest';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import { computeAgentStats } from './agent-stats';
import { agentStats } from './agent-view';
import { createDesk } from './desk';

/** Some decisions of three agents on two symbols, about half of them trading. */
function decide(desk: ReturnType<typeof createDesk>, from: number, count: number) {
  for (let i = from; i < from + count; i++) {
    desk.market.setPrice({ symbol: i % 2 ? 'AAA' : 'BBB', price: 100 + ((i * 7) % 11) });
    desk.activity.recordDecision({
      agentId: `a${i % 3}`,
      symbol: i % 2 ? 'AAA' : 'BBB',
      action: i % 5 === 0 ? 'hold' : (i * 3) % 4 < 2 ? 'buy' : 'sell',
      confidence: ((i * 13) % 10) / 10,
      reasoning: '',
      executeQty: i % 4 === 3 ? undefined : 1 + (i % 3),
    });
  }
}

/** Every trade and decision the journal holds, oldest first. */
function everything(desk: ReturnType<typeof createDesk>) {
  const all = <T>(topic: string) =>
    desk.journal!.db.prepare<[string], { body: string }>("SELECT body FROM events WHERE topic = ? AND op = 'append' ORDER BY id, seq").all(topic).map((r) => JSON.parse(r.body) as T);
  const stats = computeAgentStats(all<Trade>('trades'), all<Decision>('decisions')).stats;
  return [...stats.values()].sort((a, b) => (a.agentId < b.agentId ? -1 : 1));
}

describe('AgentStatsCache', () => {
  for (const [what, replayCapacity] of [['held in memory', 10_000], ['evicted from memory between calls (read from the journal)', 5]] as const) {
    it(`folds only what came since the last call and gives the figures of a fold over everything, with the events ${what}`, () => {
      const desk = createDesk({ hub: { replayCapacity }, journal: { path: ':memory:' } });
      decide(desk, 0, 40);
      expect(agentStats(desk)).toEqual(everything(desk));
      decide(desk, 40, 37);
      expect(agentStats(desk)).toEqual(everything(desk));
      expect(agentStats(desk)).toEqual(everything(desk)); // nothing new: the same
      desk.journal!.close();
    });
  }
});
