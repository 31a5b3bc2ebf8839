import { describe, expect, it } from 'vitest';
import { statusChanges } from './agent-status-history';

const row = (id: number, status: 'idle' | 'active' | 'busy', updatedAt: number) => ({ id, agent: { status, updatedAt } });

describe('statusChanges', () => {
  it('lists one entry per change of status, newest first, each from the run’s first row', () => {
    // newest first: busy (3 rows), active (1), idle (2)
    const rows = [row(9, 'busy', 90), row(8, 'busy', 80), row(7, 'busy', 70), row(6, 'active', 60), row(5, 'idle', 50), row(4, 'idle', 40)];
    expect(statusChanges(rows, 10)).toEqual([
      { status: 'busy', since: 70, eventId: '7' },
      { status: 'active', since: 60, eventId: '6' },
      { status: 'idle', since: 40, eventId: '4' },
    ]);
  });
  it('stops at the limit', () => {
    expect(statusChanges([row(3, 'busy', 3), row(2, 'idle', 2), row(1, 'busy', 1)], 2).map((c) => c.eventId)).toEqual(['3', '2']);
  });
});
