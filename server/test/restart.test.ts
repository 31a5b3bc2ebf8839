import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamMessage, Task } from '../../shared/index';
import type { AppOptions } from '../app';
import { collector, startTestDesk, type TestDesk } from './harness';

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

/** Closes `desk` and starts a new one on the same database file. */
async function restart(desk: TestDesk, path: string, options?: AppOptions['desk']) {
  await desk.close();
  open.splice(open.indexOf(desk), 1);
  return start(path, options);
}

/** The first message of a tasks subscription of `api` (resuming from `lastEventId` if given), after which it unsubscribes. */
async function firstTasks(api: ReturnType<TestDesk['client']>, lastEventId?: string) {
  const received = collector<StreamMessage<Task>>();
  const sub = api.agents.onTasks.subscribe(lastEventId === undefined ? {} : { lastEventId }, received);
  await received.until((m) => m.length === 1);
  sub.unsubscribe();
  return received.messages[0]!;
}

/** What a client holds after applying a keyed stream's messages, in arrival order. */
function viewOf(messages: Array<{ data: StreamMessage<Task> }>): Map<string, Task> {
  const view = new Map<string, Task>();
  for (const { data } of messages) {
    if (data.type === 'snapshot') {
      view.clear();
      for (const task of data.items) view.set(task.id, task);
    } else if (data.type === 'changes') {
      for (const task of data.upserts) view.set(task.id, task);
      for (const key of data.removes) view.delete(key);
    }
  }
  return view;
}

describe('after a restart', () => {
  it('a keyed resume from before removals the desk no longer holds resyncs, so the client ends with the server rows', async () => {
    const path = dbFile();
    const first = await start(path);
    const finish = (desk: TestDesk) => desk.app.desk.activity.upsertTask({ status: 'completed' });
    for (let i = 0; i < 200; i++) finish(first);
    const before = await firstTasks(first.client());
    // Each trims the oldest finished task: 10,300 removals, more than the 10,000 a topic remembers.
    for (let i = 0; i < 10_300; i++) finish(first);

    const second = await restart(first, path);
    const again = await firstTasks(second.client(), before.id);
    expect(again.data).toMatchObject({ type: 'snapshot', resync: true });
    const server = second.app.desk.topics.tasks.values();
    expect(server).toHaveLength(201); // 200 finished ones kept, and the one just written
    expect([...viewOf([before, again]).keys()].sort()).toEqual(server.map((t) => t.id).sort());
  }, 60_000);

  it('a keyed resume within the removals it remembers is answered exactly, as without a restart', async () => {
    const path = dbFile();
    const first = await start(path);
    const api = first.client();
    for (let i = 0; i < 205; i++) await api.agents.upsertTask.mutate({ status: 'completed' });
    const before = await firstTasks(api);
    for (let i = 0; i < 30; i++) await api.agents.upsertTask.mutate({ status: 'completed' });
    const expected = first.app.desk.topics.tasks.values().map((t) => t.id);

    const second = await restart(first, path);
    const again = await firstTasks(second.client(), before.id);
    expect(again.data).toMatchObject({ type: 'changes' });
    const data = again.data as { upserts: Task[]; removes: string[] };
    expect(data.upserts).toHaveLength(30);
    expect(data.removes).toHaveLength(30);
    expect([...viewOf([before, again]).keys()].sort()).toEqual([...expected].sort());
  });

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

    const second = await restart(first, path, options);
    const api2 = second.client();
    expect((await api2.agents.tasks.query()).map((t) => t.id)).toEqual(['m', 'x', 'a', 'q']);
    await api2.agents.upsertTask.mutate({ id: 'b', status: 'completed' });
    expect((await api2.agents.tasks.query()).map((t) => t.id)).toEqual(['x', 'a', 'q', 'b']);
  });
});
