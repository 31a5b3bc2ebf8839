import { describe, expect, it } from 'vitest';
import { createDesk } from '../store/desk';

const HOUR = 3600_000;

describe('idempotency keys expire by the command time, not the clock', () => {
  it('a retry within the window returns the first result whatever the clock says; past it, it applies again', () => {
    let clock = 1_000_000;
    const desk = createDesk({ journal: { path: ':memory:', idempotencyMs: HOUR, now: () => clock } });
    const publish = (ts: number) => desk.once('k', 'feeds.broadcastCustom', () => ({ eventId: String(desk.activity.broadcastCustom({ type: 't', data: ts })) }), ts);
    const first = publish(clock);
    clock += 30 * HOUR; // this process's clock runs far ahead, and it prunes
    desk.journal!.prune();
    expect(publish(1_000_000 + HOUR / 2)).toEqual(first);
    const again = publish(1_000_000 + 2 * HOUR);
    expect(again).not.toEqual(first);
    expect(desk.topics.custom.buffer.last(10, () => true).map((e) => e.data)).toEqual([1_000_000, 1_000_000 + 2 * HOUR]);
    desk.journal!.close();
  });
});
