import { describe, expect, it } from 'vitest';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import { computeAgentStats } from './agent-stats';
import { agentStats } from './agent-view';
import { AgentStatsCache } from './agent-stats-cache';
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
    it(`folds only what came since the last call and gives the figures of a fold over everything, with the events ${what}`, async () => {
      const desk = createDesk({ hub: { replayCapacity }, journal: { path: ':memory:' } });
      decide(desk, 0, 40);
      expect(await agentStats(desk)).toEqual(everything(desk));
      decide(desk, 40, 37);
      expect(await agentStats(desk)).toEqual(everything(desk));
      expect(await agentStats(desk)).toEqual(everything(desk)); // nothing new: the same
      desk.journal!.close();
    });
  }

  it('catches up on a long journal in pages of whole commits, the event loop running between them, with the same figures', async () => {
    const desk = createDesk({ hub: { replayCapacity: 5 }, journal: { path: ':memory:' } });
    decide(desk, 0, 60);
    const cache = new AgentStatsCache(desk.hub, desk.topics, desk.journal, 4);
    // Another client's work, one piece per turn of the event loop.
    let turns = 0;
    let running = true;
    const other = () => {
      turns++;
      if (running) setImmediate(other);
    };
    setImmediate(other);
    const [first, second] = await Promise.all([cache.current(), cache.current()]);
    running = false;
    expect(second).toBe(first);
    const sorted = [...first.stats().values()].sort((a, b) => (a.agentId < b.agentId ? -1 : 1));
    expect(sorted).toEqual(everything(desk));
    // 60 decisions and ~45 trades in pages of ~4 rows: many steps, the other work run between them.
    expect(turns).toBeGreaterThan(3);
    decide(desk, 60, 9);
    const later = [...(await cache.current()).stats().values()].sort((a, b) => (a.agentId < b.agentId ? -1 : 1));
    expect(later).toEqual(everything(desk));
    desk.journal!.close();
  });
});
