import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchAll, type Filter } from './filter';
import { Hub } from './hub';
import { keyOf, type Row } from './test-rows';

/** A fixed seed, so a run is the same everywhere; FC_SEED=<seed> (and FC_PATH=<path>, printed on failure) replays another. */
const fcParams = {
  numRuns: 60,
  seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
};

const all = matchAll as Filter<Row>;
const row = (id: string, n: number): Row => ({ id, group: 'x', n, tags: [], meta: null });

describe('a state topic', () => {
  it('remembers removed keys up to its bound, evicting the oldest removal first and raising the floor to it, as a plain list of removals does', () => {
    // Keys removed and written again, new keys, removals of keys never there: every resume since any id issued.
    const op = fc.record({ remove: fc.boolean(), key: fc.oneof(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 300 }).map(String)) });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 20 }), (ops, maxTombstones) => {
        const hub = new Hub({ firstId: 0 });
        const topic = hub.state<Row>({ name: 'rows', deliveryClass: 'keyed', keyOf, maxTombstones });
        const rows = new Map<string, number>();
        let removals: Array<[key: string, id: number]> = [];
        let floor = 0;
        for (const [i, { remove, key }] of ops.entries()) {
          const id = hub.commit((tx) => (remove ? tx.remove(topic, key) : tx.upsert(topic, row(key, i))));
          if (id === null) continue;
          removals = removals.filter(([k]) => k !== key);
          if (remove) {
            rows.delete(key);
            removals.push([key, id]);
            if (removals.length > maxTombstones) floor = Math.max(floor, removals.shift()![1]);
          } else rows.set(key, id);
        }
        for (let since = 0; since <= hub.lastId; since++) {
          const expected =
            since < floor
              ? { kind: 'resync' }
              : { kind: 'changes', upserts: [...rows].filter(([, id]) => id > since).map(([key]) => key), removes: removals.filter(([, id]) => id > since).map(([key]) => key) };
          const answer = topic.since(since, all);
          expect(answer.kind === 'changes' ? { ...answer, upserts: answer.upserts.map(keyOf) } : answer).toEqual(expected);
        }
      }),
      fcParams,
    );
  });
});
