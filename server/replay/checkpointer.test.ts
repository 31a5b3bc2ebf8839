import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDesk } from '../store/desk';

const agent = (id: string, cpu: number) => ({ id, status: 'active' as const, cpu });

describe('checkpoints', () => {
  it('are written every so many events and at start, survive a restart, and rebuild a moment of the run before it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'checkpoints-')), 'desk.db');
    const desk = createDesk({ journal: { path }, checkpoints: { everyEvents: 5, everyMs: 3_600_000 } });
    const { checkpointer, checkpoints, rebuilder } = desk.replay!;
    checkpointer.write();
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) {
      ids.push(desk.activity.setAgentStatus(agent(`ag-${i % 4}`, i)) as number);
      checkpointer.step();
    }
    // One at start, then one per 5 events.
    expect(checkpoints.size).toBe(1 + 4);
    const asOf = rebuilder.asOf(String(ids[12]), 50);
    desk.journal!.close();

    const reopened = createDesk({ journal: { path }, checkpoints: { everyEvents: 5 } });
    reopened.replay!.checkpointer.write();
    expect(reopened.replay!.checkpoints.size).toBe(1 + 4 + 1);
    // The run before, as of the same id, is rebuilt alike.
    expect(reopened.replay!.rebuilder.asOf(String(ids[12]), 50)).toEqual(asOf);
    expect(asOf.keyed.agents.map((a) => [a.id, a.cpu])).toEqual([
      ['ag-0', 12],
      ['ag-1', 9],
      ['ag-2', 10],
      ['ag-3', 11],
    ]);
    reopened.journal!.close();
  });

  it('a step writes none while nothing was journaled and fewer events than the rhythm came', () => {
    const desk = createDesk({ journal: { path: ':memory:' }, checkpoints: { everyEvents: 100, everyMs: 3_600_000 } });
    const { checkpointer, checkpoints } = desk.replay!;
    checkpointer.step();
    expect(checkpoints.size).toBe(1);
    for (let i = 0; i < 10; i++) desk.activity.setAgentStatus(agent('ag-x', i));
    checkpointer.step();
    expect(checkpoints.size).toBe(1);
    expect(checkpointer.write()).toBe(true);
    expect(checkpointer.write()).toBe(false);
    desk.journal!.close();
  });
});
