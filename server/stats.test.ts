import { describe, expect, it } from 'vitest';
import { createLimitCounters } from './limits/counters';
import { readStats } from './stats';
import { createDesk } from './store/desk';

describe('readStats', () => {
  it('counts uptime from when the desk started, not from when the server code was loaded', async () => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    const desk = createDesk();
    expect(readStats(desk, 0, createLimitCounters(), desk.startedAt).uptimeSec).toBe(0);
    expect(readStats(desk, 3, createLimitCounters(), desk.startedAt + 61_000)).toMatchObject({ uptimeSec: 61, connections: 3 });
  });
});
