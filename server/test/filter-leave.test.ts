import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage, Task } from '../../shared/index';
import { applyStreamMessage } from '../../shared/stream/apply';
import { collector, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000 });
});
afterAll(() => desk.close());

const viewOf = (messages: Array<{ data: StreamMessage<Task> }>) =>
  messages.reduce<Task[]>((view, m) => applyStreamMessage(view, m.data, { keyOf: (t) => t.id }), []);

describe('a row that stops matching a filtered subscription', () => {
  it('is removed from a live subscriber of that filter', async () => {
    const api = desk.client();
    await api.agents.upsertTask.mutate({ id: 'leave-1', agentId: 'ag-a', status: 'running' });
    const got = collector<StreamMessage<Task>>();
    const sub = api.agents.onTasks.subscribe({ agentId: 'ag-a' }, got);
    await got.until((m) => m.length === 1);
    expect(viewOf(got.messages).map((t) => t.id)).toContain('leave-1');

    const { eventId } = await api.agents.upsertTask.mutate({ id: 'leave-1', agentId: 'ag-b' });
    await got.until((m) => m.some((x) => x.id === eventId));
    expect(got.messages.at(-1)!.data).toEqual({ type: 'changes', upserts: [], removes: ['leave-1'] });
    expect(viewOf(got.messages).map((t) => t.id)).not.toContain('leave-1');
    sub.unsubscribe();
  });

  it('is removed on a resume from before it changed, also when it was deleted afterwards', async () => {
    const api = desk.client();
    await api.agents.upsertTask.mutate({ id: 'leave-2', agentId: 'ag-c', status: 'running' });
    await api.agents.upsertTask.mutate({ id: 'leave-3', agentId: 'ag-c', status: 'running' });
    const first = collector<StreamMessage<Task>>();
    const sub = api.agents.onTasks.subscribe({ agentId: 'ag-c' }, first);
    await first.until((m) => m.length === 1);
    sub.unsubscribe();
    const from = first.messages[0]!.id;

    await api.agents.upsertTask.mutate({ id: 'leave-2', agentId: 'ag-d' });
    // leave-3 moves away and is then removed: its last value never matched the filter.
    await api.agents.upsertTask.mutate({ id: 'leave-3', agentId: 'ag-d' });
    const { hub, topics } = desk.app.desk;
    hub.commit((tx) => tx.remove(topics.tasks, 'leave-3'));

    const resumed = collector<StreamMessage<Task>>();
    const again = api.agents.onTasks.subscribe({ agentId: 'ag-c', lastEventId: from }, resumed);
    await resumed.until((m) => m.length === 1);
    expect(resumed.messages[0]!.data).toMatchObject({ type: 'changes' });
    const view = viewOf([...first.messages, ...resumed.messages]);
    expect(view.map((t) => t.id)).toEqual([]);
    again.unsubscribe();
  });
});
