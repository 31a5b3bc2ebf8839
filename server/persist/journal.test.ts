import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Portfolio, Trade } from '../../shared/schema/market';
import { Subscriber } from '../hub/subscriber';
import { createDesk } from '../store/desk';
import { JournalHistory } from './history-reader';
import { migrate, SCHEMA_VERSION } from './migrations';

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'journal-')), 'desk.db');

function open(path: string, extra: Partial<Parameters<typeof createDesk>[0]> = {}) {
  return createDesk({ journal: { path }, ...extra });
}

describe('journal', () => {
  it('restores state, recent log events and the ledger after a reopen, with ids still increasing', () => {
    const path = dbFile();
    const a = open(path);
    a.market.setPrice({ symbol: 'AAA', price: 10 });
    a.market.executeTrade({ symbol: 'AAA', side: 'buy', qty: 5 });
    a.market.setPrice({ symbol: 'AAA', price: 12 });
    a.activity.setAgentStatus({ id: 'ag', status: 'busy' });
    a.activity.broadcastCustom({ type: 't', data: 1 });
    const lastId = a.hub.lastId;
    const portfolio = a.topics.portfolio.get('portfolio');
    const positions = a.topics.positions.values();
    a.journal!.close();

    const b = open(path);
    expect(b.hub.lastId).toBeGreaterThan(lastId);
    expect(b.topics.prices.get('AAA')?.price).toBe(12);
    expect(b.topics.positions.values()).toEqual(positions);
    expect(b.topics.portfolio.get('portfolio')).toEqual(portfolio);
    expect(b.topics.agents.get('ag')?.status).toBe('busy');
    expect(b.topics.custom.buffer.last(10, () => true).map((e) => e.data)).toEqual([1]);
    // The ledger carries on: selling at 12 realizes (12 - 10) * 5.
    b.market.executeTrade({ symbol: 'AAA', side: 'sell', qty: 5 });
    expect(b.topics.portfolio.get('portfolio')).toMatchObject({ realizedPnl: 10, cash: 1_000_010, positionsValue: 0 });
    b.journal!.close();
  });

  it('answers resumes older than the in-memory buffer from the log, and resyncs past retention', () => {
    const path = dbFile();
    const a = open(path, { hub: { replayCapacity: 10 } });
    const from = a.hub.lastId;
    for (let i = 0; i < 50; i++) a.activity.broadcastCustom({ type: 't', data: i });
    expect(a.topics.custom.buffer.after(from, () => true)).toBeNull();
    expect(a.topics.custom.after(from, () => true)?.map((e) => e.data)).toEqual([...Array(50).keys()]);
    a.journal!.close();

    const b = createDesk({ hub: { replayCapacity: 10 }, journal: { path, retainEvents: 20 } });
    expect(b.topics.custom.after(from, () => true)?.map((e) => e.data)).toEqual([...Array(50).keys()]);
    while (b.journal!.prune() > 0);
    expect(b.journal!.floor).toBeGreaterThan(from);
    expect(b.topics.custom.after(from, () => true)).toBeNull();
    b.journal!.close();
  });

  it('raises the floor with every pruning step, so a resume during pruning is exact or a resync, never a gap', () => {
    const path = dbFile();
    const a = open(path, { hub: { replayCapacity: 10 } });
    const commits: Array<{ id: number; data: number[] }> = [{ id: a.hub.lastId, data: [] }];
    let n = 0;
    for (let c = 0; c < 30; c++) {
      const data = Array.from({ length: 1 + (c % 7) * 100 }, () => n++);
      const id = a.hub.commit((tx) => tx.append(a.topics.custom, ...data.map((d) => ({ id: `c${d}`, type: 't', data: d, ts: 0 }))))!;
      commits.push({ id, data });
    }
    a.journal!.close();

    const b = createDesk({ hub: { replayCapacity: 10 }, journal: { path, retainEvents: 500 } });
    const check = () => {
      for (const [i, { id }] of commits.entries()) {
        const got = b.topics.custom.after(id, () => true);
        const expected = commits.slice(i + 1).flatMap((c) => c.data);
        if (id < b.journal!.floor) expect(got, `resume from commit ${i}`).toBeNull();
        else expect(got?.map((e) => e.data), `resume from commit ${i}`).toEqual(expected);
      }
    };
    check();
    let steps = 0;
    for (;;) {
      const deleted = b.journal!.prune();
      check();
      if (deleted === 0) break;
      // A step is bounded: about one batch, plus the rest of the commit it ends in.
      expect(deleted).toBeLessThanOrEqual(1_000 + 700);
      steps++;
    }
    expect(steps).toBeGreaterThan(3);
    const left = (b.journal!.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    expect(left).toBeLessThanOrEqual(500);
    expect(left).toBeGreaterThan(0);
    b.journal!.close();
  });

  it('prunes by age in bounded steps, oldest first', () => {
    let now = 1_000_000;
    const desk = createDesk({ journal: { path: ':memory:', retainEvents: 0, retainMs: 60_000, now: () => now } });
    for (let i = 0; i < 3_000; i++) {
      if (i === 2_500) now += 120_000;
      desk.activity.broadcastCustom({ type: 't', data: i });
    }
    const expiredThrough = desk.hub.lastId - 500;
    const deleted: number[] = [];
    for (let d = desk.journal!.prune(); d > 0; d = desk.journal!.prune()) deleted.push(d);
    expect(deleted.every((d) => d <= 1_000)).toBe(true);
    expect(deleted.reduce((a, b) => a + b, 0)).toBe(2_500);
    expect(desk.journal!.floor).toBe(expiredThrough);
    expect(desk.topics.custom.after(expiredThrough, () => true)).toHaveLength(500);
  });

  it('restores removals so a keyed resume across a restart still sees them', () => {
    const path = dbFile();
    const a = open(path);
    a.market.setPrice({ symbol: 'KK', price: 10 });
    a.market.executeTrade({ symbol: 'KK', side: 'buy', qty: 1 });
    const from = a.hub.lastId;
    const id = a.topics.positions.values()[0]!.id;
    a.market.executeTrade({ symbol: 'KK', side: 'sell', qty: 1 });
    a.journal!.close();
    const b = open(path);
    expect(b.topics.positions.since(from, { key: '*', match: () => true })).toEqual({ kind: 'changes', upserts: [], removes: [id] });
    b.journal!.close();
  });

  it('applies an idempotent mutation once and returns the first result to a retry', () => {
    const desk = open(':memory:');
    const run = () => desk.once('key-1', 'feeds.broadcastCustom', () => ({ eventId: String(desk.activity.broadcastCustom({ type: 'i', data: 1 })) }));
    const first = run();
    const second = run();
    expect(second).toEqual(first);
    expect(desk.topics.custom.buffer.last(10, () => true)).toHaveLength(1);
    desk.once('key-2', 'feeds.broadcastCustom', () => desk.activity.broadcastCustom({ type: 'i', data: 1 }));
    expect(desk.topics.custom.buffer.last(10, () => true)).toHaveLength(2);
    expect(() => desk.once('key-1', 'market.executeTrade', () => 0)).toThrow(/already used/);
  });

  it('remembers the key with the commit itself, so a crash before the result is stored cannot apply twice', () => {
    const path = dbFile();
    const a = open(path);
    a.once('k', 'feeds.pushNotification', () => a.activity.pushNotification({ title: 'x', body: '', severity: 'info' }));
    // Simulate losing the result row's update: only the commit's own write remains.
    a.journal!.db.prepare('UPDATE idempotency SET result = NULL').run();
    a.journal!.close();
    const b = open(path);
    const retry = b.once('k', 'feeds.pushNotification', () => {
      throw new Error('must not run again');
    });
    expect(retry).toEqual({ eventId: expect.stringMatching(/^\d+$/) });
    b.journal!.close();
  });

  it('applies nothing of a mutation that throws after its commit: not in memory, not in the log, key free', () => {
    const path = dbFile();
    const desk = open(path);
    const before = desk.hub.lastId;
    expect(() =>
      desk.once('boom', 'feeds.broadcastCustom', () => {
        desk.activity.broadcastCustom({ type: 't', data: 'never' });
        throw new Error('refused after the commit');
      }),
    ).toThrow(/refused after the commit/);
    expect(desk.hub.lastId).toBe(before);
    expect(desk.topics.custom.buffer.last(10, () => true)).toEqual([]);
    expect(desk.journal!.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
    // The key was not remembered, so a retry runs, and takes the id the failed attempt did not use.
    const retry = desk.once('boom', 'feeds.broadcastCustom', () => desk.activity.broadcastCustom({ type: 't', data: 'once' }));
    expect(retry).toBe(before + 1);
    expect(desk.topics.custom.buffer.last(10, () => true).map((e) => e.data)).toEqual(['once']);
    desk.journal!.close();
  });


  it('in a group, fails alone a mutation that throws after its commit: the others stand, it leaves nothing in memory, the log or its key', () => {
    const path = dbFile();
    const desk = open(path);
    const before = desk.hub.lastId;
    const broadcast = (data: string, key?: string, fail = false) => () =>
      desk.once(key, 'feeds.broadcastCustom', () => {
        const id = desk.activity.broadcastCustom({ type: 't', data });
        if (fail) throw new Error('refused after the commit');
        return id;
      });
    const outcomes = desk.journal!.group([broadcast('a'), broadcast('never', 'boom', true), broadcast('b', 'kept')]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes.map((o) => (o.ok ? o.value : (o.error as Error).message))).toEqual([before + 1, 'refused after the commit', before + 2]);
    expect(desk.topics.custom.buffer.last(10, () => true).map((e) => e.data)).toEqual(['a', 'b']);
    const logged = desk.journal!.db.prepare<[], { id: number; body: string }>('SELECT id, body FROM events ORDER BY id').all();
    expect(logged.map((row) => [row.id, (JSON.parse(row.body) as { data: string }).data])).toEqual([
      [before + 1, 'a'],
      [before + 2, 'b'],
    ]);
    const keys = desk.journal!.db.prepare<[], { key: string }>('SELECT key FROM idempotency ORDER BY key').all();
    expect(keys.map((row) => row.key)).toEqual(['kept']);
    desk.journal!.close();
    // And so after a restart: the failed one's commit was never written.
    const again = open(path);
    expect(again.topics.custom.buffer.last(10, () => true).map((e) => e.data)).toEqual(['a', 'b']);
    again.journal!.close();
  });
  it('writes the rows a group changed once each, and restores the same rows in the same order as one mutation at a time', () => {
    type Row = { id: string; v: number };
    const steps: Array<(desk: ReturnType<typeof open>) => void> = [
      (d) => void d.hub.commit((tx) => tx.upsert(d.topics.tasks, { id: 'a', v: 1 } as never, { id: 'b', v: 1 } as never)),
      (d) => void d.hub.commit((tx) => tx.upsert(d.topics.tasks, { id: 'c', v: 1 } as never)),
    ];
    const grouped: Array<(desk: ReturnType<typeof open>) => void> = [
      (d) => void d.hub.commit((tx) => tx.remove(d.topics.tasks, 'a')),
      (d) => void d.hub.commit((tx) => tx.upsert(d.topics.tasks, { id: 'n', v: 1 } as never)),
      (d) => void d.hub.commit((tx) => tx.upsert(d.topics.tasks, { id: 'a', v: 2 } as never)),
      (d) => void d.hub.commit((tx) => tx.upsert(d.topics.tasks, { id: 'b', v: 2 } as never)),
      (d) => void d.hub.commit((tx) => tx.remove(d.topics.tasks, 'c')),
      (d) => void d.hub.commit((tx) => tx.upsert(d.topics.tasks, { id: 'b', v: 3 } as never, { id: 'm', v: 1 } as never)),
      (d) => void d.hub.commit((tx) => tx.remove(d.topics.tasks, 'm')),
    ];
    const run = (inGroup: boolean) => {
      const path = dbFile();
      const desk = open(path);
      for (const step of steps) desk.once(undefined, 'step', () => step(desk));
      const mutations = grouped.map((step) => () => desk.once(undefined, 'step', () => step(desk)));
      if (inGroup) expect(desk.journal!.group(mutations).every((o) => o.ok)).toBe(true);
      else for (const mutation of mutations) mutation();
      const live = desk.topics.tasks.values() as unknown as Row[];
      desk.journal!.close();
      const again = open(path);
      const restored = again.topics.tasks.values() as unknown as Row[];
      again.journal!.close();
      return { live, restored };
    };
    const alone = run(false);
    const together = run(true);
    expect(alone.live.map((r) => `${r.id}${r.v}`)).toEqual(['b3', 'n1', 'a2']);
    expect(together.live).toEqual(alone.live);
    expect(together.restored).toEqual(alone.restored);
    expect(together.restored).toEqual(together.live);
  });

  it('leaves no trace of a mutation when the disk is full, and applies its retry once space is back', () => {
    const path = dbFile();
    const desk = open(path);
    const db = desk.journal!.db;
    desk.market.setPrice({ symbol: 'DF', price: 10 });
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const trades = new Subscriber<Trade>({ maxQueue: 1_000_000, counters: desk.hub.counters });
    const portfolios = new Subscriber<Portfolio>({ maxQueue: 1_000_000, counters: desk.hub.counters });
    desk.topics.trades.subscribe({ key: '*', match: () => true }, trades);
    desk.topics.portfolio.subscribe({ key: '*', match: () => true }, portfolios);
    const delivered = () => [trades.take(), portfolios.take()].filter((o) => o !== null).map((o) => o.id);
    let failure: unknown;
    let done = 0;
    const trade = (i: number) => desk.once(`t${i}`, 'market.executeTrade', () => desk.market.executeTrade({ symbol: 'DF', side: 'buy', qty: 1 }).eventId);
    for (let i = 0; i < 2_000 && !failure; i++) {
      const lastId = desk.hub.lastId;
      const portfolio = desk.topics.portfolio.get('portfolio');
      try {
        const id = trade(i);
        expect(delivered()).toEqual([id, id]);
        done++;
      } catch (error) {
        failure = error;
        // Nothing of it anywhere: same id, same state, nothing delivered, nothing remembered.
        expect(desk.hub.lastId).toBe(lastId);
        expect(desk.topics.portfolio.get('portfolio')).toEqual(portfolio);
        expect(delivered()).toEqual([]);
        expect(db.prepare('SELECT count(*) AS n FROM idempotency WHERE key = ?').get(`t${i}`)).toEqual({ n: 0 });
      }
    }
    expect(failure).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/database or disk is full.*nothing was applied/) });
    expect(done).toBeGreaterThan(0);
    expect(desk.topics.positions.values()[0]?.qty).toBe(done);
    db.pragma('max_page_count = 1000000');
    const retried = trade(done);
    expect(retried).toBe(desk.hub.lastId);
    expect(trade(done)).toBe(retried);
    expect(desk.topics.positions.values()[0]?.qty).toBe(done + 1);
    desk.journal!.close();
    const reopened = open(path);
    expect(reopened.topics.positions.values()[0]?.qty).toBe(done + 1);
    reopened.journal!.close();
  });

  it('takes a whole group back when its write fails, and the groups after it commit as before', () => {
    const path = dbFile();
    const desk = open(path);
    const db = desk.journal!.db;
    desk.market.setPrice({ symbol: 'GF', price: 10 });
    const group = (from: number) =>
      desk.journal!.group(
        Array.from({ length: 4 }, (_, j) => () => desk.once(`g${from + j}`, 'market.executeTrade', () => desk.market.executeTrade({ symbol: 'GF', side: 'buy', qty: 1 }).eventId)),
      );
    const committed = group(0);
    expect(committed.every((o) => o.ok)).toBe(true);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let failed: ReturnType<typeof group> | undefined;
    let done = 4;
    for (let i = 1; i < 2_000 && !failed; i++) {
      const lastId = desk.hub.lastId;
      const outcomes = group(i * 4);
      if (outcomes.every((o) => o.ok)) done += 4;
      else {
        failed = outcomes;
        // Every mutation of the group fails, and none of them left anything anywhere.
        expect(outcomes.map((o) => !o.ok && (o.error as { code?: string }).code)).toEqual(Array(4).fill('SERVICE_UNAVAILABLE'));
        expect(desk.hub.lastId).toBe(lastId);
        expect(db.prepare("SELECT count(*) AS n FROM idempotency WHERE key LIKE 'g%'").get()).toEqual({ n: done });
      }
    }
    expect(failed).toBeDefined();
    expect(desk.topics.positions.values()[0]?.qty).toBe(done);
    db.pragma('max_page_count = 1000000');
    for (let g = 0; g < 2; g++) expect(group(100_000 + g * 4).every((o) => o.ok)).toBe(true);
    expect(desk.topics.positions.values()[0]?.qty).toBe(done + 8);
    desk.journal!.close();
    const reopened = open(path);
    expect(reopened.topics.positions.values()[0]?.qty).toBe(done + 8);
    reopened.journal!.close();
  });

  it('closes the database even when the last latest-value flush fails on a full disk', () => {
    const desk = open(dbFile());
    const db = desk.journal!.db;
    for (let i = 0; i < 200; i++) desk.market.setPrice({ symbol: `S${i}`, price: 1 + i });
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    expect(() => desk.journal!.close()).toThrow(/database or disk is full/);
    expect(db.open).toBe(false);
  });

  it('migrates an empty database and one of the previous version', () => {
    const empty = new Database(':memory:');
    expect(migrate(empty)).toBe(SCHEMA_VERSION);

    const path = dbFile();
    const v1 = new Database(path);
    migrate(v1, 1);
    v1.prepare("INSERT INTO rows (topic, key, id, body) VALUES ('agents', 'old', 5, ?)").run(
      JSON.stringify({ id: 'old', name: 'old', status: 'idle', currentTaskId: null, cpu: 0, memory: 0, connections: 0, updatedAt: 0 }),
    );
    v1.close();
    const desk = open(path);
    expect(desk.journal!.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(desk.topics.agents.get('old')?.name).toBe('old');
    expect(desk.once('after-migration', 'feeds.pushNotification', () => 'ok')).toBe('ok');
    desk.journal!.close();
  });

  it('brings the rows of a version-3 database back in the order of their last change, then keeps first-write order', () => {
    const path = dbFile();
    const v3 = new Database(path);
    migrate(v3, 3);
    const agent = (id: string) => JSON.stringify({ id, name: id, status: 'idle', currentTaskId: null, cpu: 0, memory: 0, connections: 0, updatedAt: 0 });
    v3.prepare("INSERT INTO rows (topic, key, id, body) VALUES ('agents', 'b', 7, ?), ('agents', 'a', 5, ?)").run(agent('b'), agent('a'));
    v3.close();
    const a = open(path);
    expect(a.topics.agents.values().map((x) => x.id)).toEqual(['a', 'b']);
    a.activity.setAgentStatus({ id: '0', status: 'busy' });
    a.activity.setAgentStatus({ id: 'a', status: 'busy' });
    a.journal!.close();
    const b = open(path);
    expect(b.topics.agents.values().map((x) => x.id)).toEqual(['a', 'b', '0']);
    b.journal!.close();
  });

  it('seeks times through one index entry per commit once a version-11 database is migrated', () => {
    const db = new Database(':memory:');
    migrate(db, 11);
    const insert = db.prepare('INSERT INTO events (id, seq, topic, op, key, body, ts) VALUES (?, ?, ?, ?, ?, ?, ?)');
    // Commits of one to three rows, each row at its commit's time.
    for (const [id, rows, ts] of [[10, 2, 1_000], [11, 1, 1_000], [12, 3, 2_000], [13, 1, 3_000]] as const) {
      for (let seq = 0; seq < rows; seq++) insert.run(id, seq, 'trades', 'append', `k${id}.${seq}`, '{}', ts);
    }
    const partial = () => (db.pragma('index_list(events)') as Array<{ name: string; partial: number }>).find((i) => i.name === 'events_by_ts')?.partial;
    expect(partial()).toBe(0);
    migrate(db);
    expect(partial()).toBe(1);
    expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events INDEXED BY events_by_ts WHERE seq = 0 AND ts >= 0').get()!.n).toBe(4);
    const times = new JournalHistory(db);
    expect([times.lastBefore(1_000), times.lastBefore(2_000), times.lastBefore(2_001), times.lastBefore(9_999)]).toEqual([null, 11, 12, 13]);
    expect([times.firstFrom(0), times.firstFrom(1_001), times.firstFrom(3_000), times.firstFrom(3_001)]).toEqual([10, 12, 13, null]);
  });

  it('writes a group\'s rows once per key, in the order a restart loads as the topic holds them', () => {
    const path = dbFile();
    const a = open(path);
    const rule = (id: string) => () =>
      a.once(undefined, 'alerts.createRule', () => a.market.createAlertRule({ id, symbol: 'AAA', condition: 'above', threshold: 1, severity: 'info' }));
    const remove = (id: string) => () => a.once(undefined, 'alerts.deleteRule', () => a.market.deleteAlertRule(id));
    a.journal!.group([rule('r1'), rule('r2')]);
    // r1 removed and written again after r3 came: it goes after r3, as a delete and insert would.
    const outcomes = a.journal!.group([remove('r1'), rule('r3'), rule('r1'), remove('r2'), rule('r2'), remove('r2')]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const live = a.topics.alertRules.values().map((r) => r.id);
    expect(live).toEqual(['r3', 'r1']);
    a.journal!.close();
    const b = open(path);
    expect(b.topics.alertRules.values().map((r) => r.id)).toEqual(live);
    b.journal!.close();
  });

  it('refuses a database from a newer version', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer/);
  });
});
