import { describe, expect, it } from 'vitest';
import type { MemoryEvent } from '../../../../shared/index';
import { applyMemoryMessage, filterTimeline, tagsOf } from './memory-timeline';

const event = (id: string, importance: number, tags: string[]): MemoryEvent => ({ id, memoryId: `m-${id}`, agentId: 'a', action: 'created', content: id, importance, tags, ts: 0 });

describe('memory timeline', () => {
  it('starts from the snapshot, appends new events once each, and keeps the newest up to the cap', () => {
    let held = applyMemoryMessage([], { type: 'snapshot', items: [event('1', 0.1, []), event('2', 0.2, [])], resync: false }, 3);
    held = applyMemoryMessage(held, { type: 'append', items: [event('2', 0.2, []), event('3', 0.3, [])] }, 3);
    held = applyMemoryMessage(held, { type: 'append', items: [event('4', 0.4, [])] }, 3);
    expect(held.map((e) => e.id)).toEqual(['2', '3', '4']);
  });
  it('filters by any of the tags and a minimum importance, newest first', () => {
    const events = [event('1', 0.9, ['risk']), event('2', 0.2, ['risk']), event('3', 0.8, ['news']), event('4', 1, ['market'])];
    expect(filterTimeline(events, { tags: ['risk', 'news'], minImportance: 0.5 }).map((e) => e.id)).toEqual(['3', '1']);
    expect(filterTimeline(events, { tags: [], minImportance: 0 }).map((e) => e.id)).toEqual(['4', '3', '2', '1']);
    expect(tagsOf(events)).toEqual(['market', 'news', 'risk']);
  });
});
