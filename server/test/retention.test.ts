import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { collector, startTestDesk } from './harness';

describe('retention pruning', () => {
  it('keeps every resume exact or a resync while it prunes a log filled past retention, across a restart', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'retention-')), 'desk.db');
    const options = { statsIntervalMs: 3_600_000, desk: { hub: { replayCapacity: 100 } } };

    // First run: no retention, 12 commits of 1,000 events (as a metrics source writes them).
    const first = await startTestDesk({ ...options, desk: { ...options.desk, journal: { path, retainEvents: 0 } } });
    const commits: Array<{ id: string; data: number[] }> = [];
    const api1 = first.client();
    const start = collector<StreamMessage<DeskCustomEvent>>();
    const sub = api1.feeds.onCustom.subscribe({ type: 'ret', limit: 0 }, start);
    await start.until((m) => m.length === 1);
    commits.push({ id: start.messages[0]!.id, data: [] });
    sub.unsubscribe();
    let n = 0;
    for (let c = 0; c < 12; c++) {
      const data = Array.from({ length: 1_000 }, () => n++);
      const { custom } = first.app.desk.topics;
      const id = first.app.desk.hub.commit((tx) => tx.append(custom, ...data.map((d) => ({ id: `r${d}`, type: 'ret', data: d, ts: 0 }))));
      commits.push({ id: String(id), data });
    }
    await first.close();

    // Second run with a retention of 100 events: every step of the prune must leave resumes exact.
    const second = await startTestDesk({ ...options, desk: { ...options.desk, journal: { path, retainEvents: 100 } } });
    const api = second.client();
    const journal = second.app.desk.journal!;
    let resyncs = 0;
    let exact = 0;
    const resumeAll = async () => {
      for (const [i, { id }] of commits.entries()) {
        const got = collector<StreamMessage<DeskCustomEvent>>();
        const s = api.feeds.onCustom.subscribe({ type: 'ret', limit: 0, lastEventId: id }, got);
        await got.until((m) => m.length === 1);
        s.unsubscribe();
        const message = got.messages[0]!.data;
        if (message.type === 'snapshot') {
          expect(message.resync, `resume from commit ${i}`).toBe(true);
          resyncs++;
        } else {
          expect(message.type).toBe('append');
          const items = message.type === 'append' ? message.items.map((e) => e.data) : [];
          expect(items, `resume from commit ${i}`).toEqual(commits.slice(i + 1).flatMap((c) => c.data));
          exact++;
        }
      }
    };
    // The background pruning runs as well; manual steps make sure resumes happen between steps.
    for (let step = 0; step < 30; step++) {
      await resumeAll();
      if (journal.prune() === 0 && step > 0) break;
    }
    exact = 0;
    await resumeAll();
    expect(exact).toBe(2);
    const left = (journal.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    // Commits go whole and the newest always stays: its 1,000 events, over the limit of 100, rather
    // than an empty log right after a write.
    expect(left).toBe(1_000);
    // Once pruned, everything before the commit ahead of the newest resyncs; from that one, the newest
    // commit is answered exactly, and from the newest, nothing.
    expect(resyncs).toBeGreaterThan(0);
    expect(exact).toBeGreaterThan(0);
    await second.close();
  }, 60_000);
});
