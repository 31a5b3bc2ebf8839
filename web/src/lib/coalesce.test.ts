import { describe, expect, it } from 'vitest';
import { applyStreamMessage, type StreamMessage } from '../../../shared/index';
import { compactPatch } from '../../../shared/stream/compact';
import { coalesceMessages } from './coalesce';

interface Row {
  id: string;
  v: number;
}
const keyOf = (r: Row) => r.id;
const applyAll = (view: Row[] | undefined, messages: StreamMessage<Row>[], limit?: number) =>
  messages.reduce<Row[] | undefined>((acc, m) => applyStreamMessage(acc, m, { keyOf, limit }), view);

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('coalesceMessages', () => {
  it('keeps only the last snapshot and what follows it', () => {
    const messages: StreamMessage<Row>[] = [
      { type: 'changes', upserts: [{ id: 'a', v: 1 }], removes: [] },
      { type: 'snapshot', items: [{ id: 'b', v: 1 }], resync: false },
      { type: 'snapshot', items: [{ id: 'c', v: 1 }], resync: true },
      { type: 'changes', upserts: [{ id: 'c', v: 2 }], removes: [] },
    ];
    const out = coalesceMessages(messages, keyOf);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ type: 'snapshot', items: [{ id: 'c', v: 1 }] });
  });

  it('merges a burst of changes into one message with the newest value per key', () => {
    const messages: StreamMessage<Row>[] = Array.from({ length: 1000 }, (_, i) => ({
      type: 'changes' as const,
      upserts: [{ id: `s${i % 8}`, v: i }],
      removes: [],
    }));
    const out = coalesceMessages(messages, keyOf);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({ type: 'changes', upserts: Array.from({ length: 8 }, (_, k) => ({ id: `s${k}`, v: 992 + k })), removes: [] });
  });

  it('concatenates consecutive appends', () => {
    const out = coalesceMessages<Row>(
      [
        { type: 'append', items: [{ id: '1', v: 1 }] },
        { type: 'append', items: [{ id: '2', v: 2 }] },
      ],
      keyOf,
    );
    expect(out).toEqual([{ type: 'append', items: [{ id: '1', v: 1 }, { id: '2', v: 2 }] }]);
  });

  it('folds a patch into the upsert or the patch of its key before it', () => {
    const start: Row[] = [{ id: 'a', v: 0 }];
    const messages: StreamMessage<Row>[] = [
      { type: 'changes', upserts: [{ id: 'b', v: 1 }], removes: [] },
      { type: 'changes', upserts: [], removes: [], patches: [{ key: 'a', set: { v: 5 } }, { key: 'b', set: { v: 2 } }] },
      { type: 'changes', upserts: [], removes: [], patches: [{ key: 'a', set: { v: 6 } }] },
    ];
    const out = coalesceMessages(messages, keyOf);
    expect(out).toEqual([{ type: 'changes', upserts: [{ id: 'b', v: 2 }], removes: [], patches: [{ key: 'a', set: { v: 6 } }] }]);
    expect(applyAll(start, out)).toEqual(applyAll(start, messages));
  });

  it('drops a row upserted then removed within the frame', () => {
    const start: Row[] = [{ id: 'a', v: 0 }];
    const messages: StreamMessage<Row>[] = [
      { type: 'changes', upserts: [{ id: 'b', v: 1 }], removes: [] },
      { type: 'changes', upserts: [], removes: ['b', 'a'] },
    ];
    expect(applyAll(start, coalesceMessages(messages, keyOf))).toEqual([]);
  });

  it('keeps a message of compact patches in its place, between the runs it ends', () => {
    const start: Row[] = [{ id: 'a', v: 1.25 }];
    const messages: StreamMessage<Row>[] = [
      { type: 'changes', upserts: [{ id: 'b', v: 1 }], removes: [] },
      { type: 'changes', upserts: [], removes: [], compact: [compactPatch('a', { id: 'a', v: 1.25 }, { v: 1.5 })] },
      { type: 'changes', upserts: [{ id: 'b', v: 2 }], removes: [] },
    ];
    const out = coalesceMessages(messages, keyOf);
    expect(out).toEqual(messages);
    expect(applyAll(start, out)).toEqual([{ id: 'a', v: 1.5 }, { id: 'b', v: 2 }]);
  });

  it('gives the same view as applying every message one by one (random state and log streams)', () => {
    const next = random(7);
    for (let round = 0; round < 600; round++) {
      const log = round % 2 === 1;
      const messages: StreamMessage<Row>[] = [];
      const start: Row[] = [
        { id: 'k0', v: -1 },
        { id: 'k3', v: -3 },
      ];
      const count = 1 + Math.floor(next() * 12);
      for (let i = 0; i < count; i++) {
        const roll = next();
        const row = () => ({ id: `k${Math.floor(next() * 6)}`, v: Math.floor(next() * 100) });
        if (roll < 0.1) messages.push({ type: 'snapshot', items: [row(), row()], resync: next() < 0.5 });
        else if (!log) {
          const upserts = next() < 0.8 ? [row(), row()] : [];
          const removes = next() < 0.4 ? [`k${Math.floor(next() * 6)}`] : [];
          // Patches (deltas) of keys the message does not upsert or remove, as the server sends them.
          const taken = new Set([...upserts.map(keyOf), ...removes]);
          const patches = [0, 1]
            .map(() => `k${Math.floor(next() * 6)}`)
            .filter((key, i, keys) => !taken.has(key) && keys.indexOf(key) === i)
            .map((key) => (next() < 0.2 ? { key, set: {}, unset: ['v'] } : { key, set: { v: Math.floor(next() * 100) } }));
          // Compact patches against the rows held at that point, as a server holding the same view makes them.
          const held = applyAll(start, messages) ?? [];
          const compact = held
            .filter((r) => !taken.has(r.id) && !patches.some((p) => p.key === r.id) && r.v !== undefined && next() < 0.3)
            .map((r) => compactPatch(r.id, r as unknown as Record<string, unknown>, { v: r.v + (next() < 0.5 ? 0.25 : Math.floor(next() * 100)) }));
          const message: StreamMessage<Row> = patches.length > 0 && next() < 0.5 ? { type: 'changes', upserts, removes, patches } : { type: 'changes', upserts, removes };
          messages.push(compact.length > 0 && next() < 0.5 ? { ...message, compact } : message);
        }
        else messages.push({ type: 'append', items: [row()] });
      }
      const limit = log && next() < 0.5 ? 4 : undefined;
      expect(applyAll(start, coalesceMessages(messages, keyOf), limit)).toEqual(applyAll(start, messages, limit));
    }
  });
});
