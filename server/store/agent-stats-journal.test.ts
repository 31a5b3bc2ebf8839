import { describe, expect, it } from 'vitest';
import { AgentStatsFold } from './agent-stats';
import { AgentStatsJournal } from './agent-stats-journal';
import { createDesk } from './desk';

/** A desk with a journal and some agent trades, each its own commit; returns their event ids. */
function deskWithTrades(count: number) {
  const desk = createDesk({ journal: { path: ':memory:', retainEvents: 0 } });
  desk.market.setPrice({ symbol: 'AAA', price: 100 });
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push(desk.market.executeTrade({ symbol: 'AAA', side: i % 2 ? 'sell' : 'buy', qty: 1 + (i % 3), agentId: `a${i % 2}` }).eventId!);
  return { desk, ids, store: new AgentStatsJournal(desk.journal!.db) };
}

const statsOf = (fold: AgentStatsFold | undefined) => [...(fold?.stats().values() ?? [])];

describe('AgentStatsJournal', () => {
  it('rolls the snapshot at the floor forward over what a pruning deletes, and drops the snapshots below it', () => {
    const { desk, ids, store } = deskWithTrades(8);
    const floor = desk.journal!.floor;
    store.ensureBase(floor);
    store.ensureBase(floor); // once
    store.rollBaseTo(ids[3]!, floor);
    const base = store.snapshotAtOrBefore(ids[3]!);
    expect(base?.id).toBe(ids[3]);
    expect(store.snapshotAtOrBefore(ids[3]! - 1)).toBeUndefined();
    const expected = new AgentStatsFold();
    store.foldRange(expected, floor, ids[3]!);
    expect(statsOf(base?.fold)).toEqual(statsOf(expected));
    expect(statsOf(base?.fold).map((s) => s.trades)).toEqual([2, 2]);
    desk.journal!.close();
  });

  it('goes on from the newest snapshot at or below the pruning, not from the floor, folding each event once', () => {
    const { desk, ids, store } = deskWithTrades(10);
    const floor = desk.journal!.floor;
    store.ensureBase(floor);
    // A snapshot the fold left on its way, between the floor and the pruning.
    const part = new AgentStatsFold();
    store.foldRange(part, floor, ids[4]!);
    store.writeSnapshot(ids[4]!, part);
    // And one above it, which stays.
    const later = new AgentStatsFold();
    store.foldRange(later, floor, ids[8]!);
    store.writeSnapshot(ids[8]!, later);
    store.rollBaseTo(ids[6]!, floor);
    const everything = new AgentStatsFold();
    store.foldRange(everything, floor, ids[6]!);
    expect(statsOf(store.snapshotAtOrBefore(ids[6]!)?.fold)).toEqual(statsOf(everything));
    expect(store.snapshotAtOrBefore(ids[6]! - 1)).toBeUndefined();
    expect(store.snapshotAtOrBefore(ids[9]!)?.id).toBe(ids[8]);
    desk.journal!.close();
  });
});
