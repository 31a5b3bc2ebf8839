import { describe, expect, it } from 'vitest';
import { createDesk } from '../store/desk';
import { Simulator } from './simulator';

function run(seed: number) {
  const desk = createDesk({ hub: { firstId: 0 }, market: { now: () => 0 }, activity: { now: () => 0 } });
  const sim = new Simulator(desk, { seed, symbols: ['AAA', 'BBB'], runId: 'test' });
  sim.step(400);
  return {
    prices: desk.topics.prices.values().map((t) => t.price),
    decisions: desk.topics.decisions.buffer.last(1000, () => true),
    trades: desk.topics.trades.buffer.last(1000, () => true),
    agents: desk.topics.agents.values(),
    tasks: desk.topics.tasks.values(),
    workflows: desk.topics.workflows.values(),
    memories: desk.topics.memories.buffer.last(1000, () => true),
    lastId: desk.hub.lastId,
  };
}

describe('Simulator', () => {
  it('is deterministic for a seed', () => {
    expect(run(7)).toEqual(run(7));
  });
  it('moves every panel: prices, agents, tasks, decisions and trades', () => {
    const result = run(7);
    expect(result.prices).toHaveLength(2);
    expect(result.agents.length).toBeGreaterThan(0);
    expect(result.tasks.length).toBeGreaterThan(0);
    expect(result.decisions.length).toBeGreaterThan(0);
    expect(result.trades.length).toBeGreaterThan(0);
  });
  it("keeps its agents' memories: created first, then recalled, refined or forgotten, each by its agent", () => {
    const { memories, workflows } = run(7);
    expect(memories.length).toBeGreaterThan(3);
    const firstOf = new Map<string, (typeof memories)[number]>();
    for (const event of memories) if (!firstOf.has(event.memoryId)) firstOf.set(event.memoryId, event);
    for (const event of memories) expect(firstOf.get(event.memoryId)).toMatchObject({ action: 'created', agentId: event.agentId });
    expect(workflows.every((w) => w.agentId !== null)).toBe(true);
  });
  it('differs for another seed', () => {
    expect(run(8).prices).not.toEqual(run(7).prices);
  });
});
