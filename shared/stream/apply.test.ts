import { describe, expect, it } from 'vitest';
import { applyStreamMessage } from './apply';

type Row = { id: string; v: number };
const keyOf = (r: Row) => r.id;

describe('applyStreamMessage', () => {
  it('replaces the view with a snapshot', () => {
    expect(applyStreamMessage([{ id: 'x', v: 0 }], { type: 'snapshot', items: [{ id: 'a', v: 1 }], resync: false }, { keyOf })).toEqual([{ id: 'a', v: 1 }]);
  });
  it('upserts in place, appends new rows and removes by key', () => {
    const view = [{ id: 'a', v: 1 }, { id: 'b', v: 1 }, { id: 'c', v: 1 }];
    const next = applyStreamMessage(view, { type: 'changes', upserts: [{ id: 'b', v: 2 }, { id: 'd', v: 1 }], removes: ['a'] }, { keyOf });
    expect(next).toEqual([{ id: 'b', v: 2 }, { id: 'c', v: 1 }, { id: 'd', v: 1 }]);
    expect(view).toHaveLength(3);
  });
  it('appends log events and keeps only the newest `limit`', () => {
    const next = applyStreamMessage([{ id: 'a', v: 1 }, { id: 'b', v: 1 }], { type: 'append', items: [{ id: 'c', v: 1 }] }, { keyOf, limit: 2 });
    expect(next.map(keyOf)).toEqual(['b', 'c']);
  });
  it('does not duplicate an event delivered twice', () => {
    const next = applyStreamMessage([{ id: 'a', v: 1 }], { type: 'append', items: [{ id: 'a', v: 1 }, { id: 'b', v: 1 }] }, { keyOf });
    expect(next.map(keyOf)).toEqual(['a', 'b']);
  });
  it('starts from an empty view', () => {
    expect(applyStreamMessage(undefined, { type: 'changes', upserts: [{ id: 'a', v: 1 }], removes: [] }, { keyOf })).toEqual([{ id: 'a', v: 1 }]);
  });
});
