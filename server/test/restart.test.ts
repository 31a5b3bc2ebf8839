import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppOptions } from '../app';
import { startTestDesk, type TestDesk } from './harness';

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'restart-')), 'desk.db');
const open: TestDesk[] = [];
afterEach(async () => {
  for (const desk of open.splice(0)) await desk.close();
});

async function start(path: string, desk: AppOptions['desk'] = {}) {
  const started = await startTestDesk({
    statsIntervalMs: 3_600_000,
    limits: { mutationsPerSecond: 100_000, mutationBurst: 100_000 },
    desk: { ...desk, journal: { path } },
  });
  open.push(started);
  return started;
}

describe('after a restart', () => {
  it('finished tasks keep their order, so the same task is trimmed next as without the restart', async () => {
    const path = dbFile();
    const options = { activity: { finishedLimit: 3 } };
    const first = await start(path, options);
    const api = first.client();
    // Ids out of key order, and an older task updated late: order is when a task first appeared.
    for (const id of ['m', 'c', 'x', 'a', 'q']) await api.agents.upsertTask.mutate({ id, status: 'running' });
    for (const id of ['a', 'x', 'q', 'c', 'm']) await api.agents.upsertTask.mutate({ id, status: 'completed' });
    // Three finished kept besides the one just written: the oldest, 'c', went.
    expect((await api.agents.tasks.query()).map((t) => t.id)).toEqual(['m', 'x', 'a', 'q']);
    await first.close();
    open.splice(0);

    const second = await start(path, options);
    const api2 = second.client();
    expect((await api2.agents.tasks.query()).map((t) => t.id)).toEqual(['m', 'x', 'a', 'q']);
    await api2.agents.upsertTask.mutate({ id: 'b', status: 'completed' });
    expect((await api2.agents.tasks.query()).map((t) => t.id)).toEqual(['x', 'a', 'q', 'b']);
  });
});
