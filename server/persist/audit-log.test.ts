import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog, auditQueries, boundedJson, openAuditDatabase, type AuditRecord } from './audit-log';
import { migrate } from './migrations';

const record = (extra: Partial<AuditRecord> = {}): AuditRecord => ({
  ts: 1,
  who: 'alice',
  name: 'alice',
  role: 'operator',
  address: '10.0.0.1',
  path: 'market.setPrice',
  input: { symbol: 'A', price: 1 },
  code: 'OK',
  eventId: '7',
  ...extra,
});

describe('audit log', () => {
  it('writes an accepted mutation at once and keeps refusals for the next batch', () => {
    const db = openAuditDatabase(':memory:');
    const log = new AuditLog(db);
    log.accepted(record());
    log.refused(record({ code: 'FORBIDDEN', eventId: null }));
    expect(db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 1 });
    log.flush();
    expect(log.page({ limit: 10 }).entries.map((e) => e.code)).toEqual(['FORBIDDEN', 'OK']);
  });

  it('never throws for an accepted mutation on a failing disk: its entry waits for the next batch', () => {
    const db = openAuditDatabase(':memory:');
    const log = new AuditLog(db);
    db.exec('CREATE TRIGGER full BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, \'database or disk is full\'); END');
    expect(() => log.accepted(record())).not.toThrow();
    expect(() => log.flush()).not.toThrow();
    db.exec('DROP TRIGGER full');
    log.flush();
    expect(log.page({ limit: 10 }).entries.map((e) => [e.code, e.eventId, e.input])).toEqual([['OK', '7', '{"symbol":"A","price":1}']]);
  });

  it('folds identical refusals into one entry, and past its bound folds them per path and code', () => {
    const log = new AuditLog(openAuditDatabase(':memory:'), { maxPendingRefusals: 2 });
    for (let i = 0; i < 5; i++) log.refused(record({ code: 'TOO_MANY_REQUESTS' }));
    log.refused(record({ who: 'bob', code: 'TOO_MANY_REQUESTS' }));
    for (let i = 0; i < 4; i++) log.refused(record({ who: `x${i}`, address: `10.0.0.${i + 2}`, code: 'TOO_MANY_REQUESTS' }));
    const entries = log.page({ limit: 10 }).entries;
    expect(entries.map((e) => [e.who, e.count, e.input])).toEqual([
      ['(many)', 4, null],
      ['bob', 1, null],
      ['alice', 5, null],
    ]);
  });

  it('filters by path and by token id or holder name', () => {
    const log = new AuditLog(openAuditDatabase(':memory:'));
    log.accepted(record({ who: 'alice-1', name: 'alice' }));
    log.accepted(record({ who: 'bob', name: 'bob', path: 'alerts.clear' }));
    expect(log.page({ limit: 10, who: 'alice' }).entries.map((e) => e.who)).toEqual(['alice-1']);
    expect(log.page({ limit: 10, who: 'alice-1' }).entries).toHaveLength(1);
    expect(log.page({ limit: 10, path: 'alerts.clear' }).entries.map((e) => e.who)).toEqual(['bob']);
  });

  it('keeps inputs as JSON cut at a bound', () => {
    expect(boundedJson({ a: 1 }, 100)).toBe('{"a":1}');
    expect(boundedJson('x'.repeat(50), 10)).toBe(`"xxxxxxxxx…(52 chars)`);
    expect(boundedJson(undefined, 10)).toBeNull();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(boundedJson(cyclic, 10)).toBe('"(not serializable)"');
  });

  it('prunes entries past the retention, oldest first, a batch at a time, keeping the newest whatever its age', () => {
    let now = 10_000;
    const log = new AuditLog(openAuditDatabase(':memory:'), { retainMs: 1000, now: () => now });
    for (let ts = 8_000; ts < 10_000; ts += 500) log.accepted(record({ ts }));
    expect(log.prune()).toBe(2);
    expect(log.page({ limit: 10 }).entries.map((e) => e.ts)).toEqual([9_500, 9_000]);
    // Everything is past retention now: the newest stays, so the next entry's number is new.
    now = 1e9;
    expect(log.prune()).toBe(1);
    const [kept] = log.page({ limit: 10 }).entries;
    expect(kept).toMatchObject({ ts: 9_500 });
    log.accepted(record({ ts: now }));
    expect(log.page({ limit: 10 }).entries.map((e) => e.seq)).toEqual([kept!.seq + 1, kept!.seq]);
    expect(new AuditLog(openAuditDatabase(':memory:'), { retainMs: 0, now: () => now }).prune()).toBe(0);
  });

  it('keeps no index beside the table and no AUTOINCREMENT: pages and pruning walk the sequence whatever the filter', () => {
    const db = new Sqlite(':memory:');
    migrate(db, 9);
    db.prepare("INSERT INTO audit (ts, who, name, role, address, path, input, code, event_id) VALUES (1, 'alice', 'alice', 'operator', '::1', 'alerts.clear', '{}', 'OK', '5')").run();
    db.prepare("INSERT INTO audit (ts, who, name, role, address, path, input, code, event_id, count) VALUES (2, 'bob', NULL, NULL, '::1', 'market.setPrice', NULL, 'FORBIDDEN', NULL, 3)").run();
    const before = db.prepare('SELECT * FROM audit ORDER BY seq').all();
    migrate(db);
    // Every entry as it was, sequence numbers included.
    expect(db.prepare('SELECT * FROM audit ORDER BY seq').all()).toEqual(before);
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit' ORDER BY name").all();
    expect(indexes).toEqual([]);
    expect(db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'audit'").get()!.sql).not.toMatch(/AUTOINCREMENT/i);
    const plan = (sql: string, ...params: unknown[]) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => (r as { detail: string }).detail);
    for (const filter of [{ path: null, who: null }, { path: 'alerts.clear', who: null }, { path: null, who: 'alice' }, { path: 'alerts.clear', who: 'alice' }]) {
      expect(plan(auditQueries.page, { before: 10, limit: 5, ...filter })).toEqual(['SEARCH audit USING INTEGER PRIMARY KEY (rowid<?)']);
    }
    expect(plan(auditQueries.prune, 5, 5).every((step) => !/SCAN|TEMP B-TREE/.test(step))).toBe(true);
    const log = new AuditLog(db);
    expect(log.page({ limit: 10, who: 'alice', path: 'alerts.clear' }).entries.map((e) => [e.who, e.eventId])).toEqual([['alice', '5']]);
    log.accepted(record({ ts: 3 }));
    expect(log.page({ limit: 1 }).entries[0]!.seq).toBe(3);
  });

  it('never gives again a sequence number that AUTOINCREMENT gave to an entry pruned before the rebuild', () => {
    const insert = "INSERT INTO audit (ts, who, name, role, address, path, input, code, event_id) VALUES (?, 'alice', 'alice', 'operator', '::1', 'alerts.clear', '{}', 'OK', NULL)";
    // Pruned to empty, and pruned of its newest entries only: the next number is the one after the highest ever given.
    for (const keep of [[], [1, 2]]) {
      const db = new Sqlite(':memory:');
      migrate(db, 10);
      for (let ts = 1; ts <= 4; ts++) db.prepare(insert).run(ts);
      db.prepare(`DELETE FROM audit WHERE seq NOT IN (${keep.join(',') || '0'})`).run();
      migrate(db);
      const log = new AuditLog(db, { retainMs: 1, now: () => 10 });
      expect(log.page({ limit: 10 }).entries.map((e) => e.seq)).toEqual([...keep].reverse());
      log.accepted(record({ ts: 5 }));
      expect(log.page({ limit: 10 }).entries.map((e) => e.seq)).toEqual([5, ...[...keep].reverse()]);
      // Once a newer entry holds the number, pruning takes the marker with the rest.
      log.prune();
      expect(db.prepare('SELECT seq FROM audit').all()).toEqual([{ seq: 5 }]);
    }
    // A log that never lost its newest entry gets no marker.
    const db = new Sqlite(':memory:');
    migrate(db, 10);
    db.prepare(insert).run(1);
    migrate(db);
    expect(db.prepare('SELECT seq, count FROM audit').all()).toEqual([{ seq: 1, count: 1 }]);
  });
});
