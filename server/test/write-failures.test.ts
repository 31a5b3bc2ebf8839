import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { collector, startTestDesk, type TestDesk } from './harness';
import { walCommits } from './wal';

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'write-failures-')), 'desk.db');
let desk: TestDesk | null = null;
afterEach(async () => {
  await desk?.close();
  desk = null;
});

const itemsOf = (messages: Array<{ data: StreamMessage<DeskCustomEvent> }>) =>
  messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => (e.data as { i: number }).i) : []));

describe('a write that fails', () => {
  it('on a full disk is answered SERVICE_UNAVAILABLE and is nowhere: not on the stream, not in state, not under its key', async () => {
    const path = dbFile();
    desk = await startTestDesk({ statsIntervalMs: 3_600_000, desk: { journal: { path } } });
    const api = desk.client();
    const got = collector<StreamMessage<DeskCustomEvent>>();
    const sub = api.feeds.onCustom.subscribe({ type: 'full', limit: 0 }, got);
    await got.until((m) => m.length === 1);
    const db = desk.app.desk.journal!.db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    const acked: number[] = [];
    let failed: { i: number; error: unknown } | null = null;
    // Big enough that the file's free space runs out within a few dozen mutations.
    const send = (i: number) => api.feeds.broadcastCustom.mutate({ type: 'full', data: { i, pad: 'x'.repeat(1_500) }, idempotencyKey: `full-${i}` });
    for (let i = 0; i < 500 && !failed; i++) {
      try {
        await send(i);
        acked.push(i);
      } catch (error) {
        failed = { i, error };
      }
    }
    expect(failed).not.toBeNull();
    const { i, error } = failed!;
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/database or disk is full.*nothing was applied/);
    await got.until((m) => itemsOf(m).length === acked.length);

    // Space is back: the retry with the same key applies now, exactly once, after everything acknowledged.
    db.pragma('max_page_count = 1000000');
    const retry = await send(i);
    expect(await send(i)).toEqual(retry);
    await got.until((m) => itemsOf(m).length === acked.length + 1);
    expect(itemsOf(got.messages)).toEqual([...acked, i]);
    expect(got.messages.at(-1)!.id).toBe(retry.eventId);
    sub.unsubscribe();
  });

  it('costs nothing twice: with DESK_DB_SYNC=full a mutation is one transaction, its idempotency answer included', async () => {
    const path = dbFile();
    // The portfolio's history included: a trade writes its bucket in its own transaction, not in a batch after it.
    desk = await startTestDesk({ statsIntervalMs: 3_600_000, desk: { journal: { path, synchronous: 'full' } } });
    const api = desk.client();
    // No checkpoint may restart the WAL while its transactions are counted.
    desk.app.desk.journal!.db.pragma('wal_autocheckpoint = 0');
    await api.market.setPrice.mutate({ symbol: 'FS', price: 10 });
    const cases = [
      () => api.market.executeTrade.mutate({ symbol: 'FS', side: 'buy', qty: 1, idempotencyKey: 'fsync-1' }),
      () => api.market.executeTrade.mutate({ symbol: 'FS', side: 'buy', qty: 1 }),
      () => api.market.setPrice.mutate({ symbol: 'FS', price: 11, idempotencyKey: 'fsync-2' }),
      () => api.feeds.pushNotification.mutate({ title: 'one fsync', idempotencyKey: 'fsync-3' }),
    ];
    for (const mutate of cases) {
      const before = walCommits(path);
      await mutate();
      expect(walCommits(path) - before).toBe(1);
    }
    // A retry answered from the key writes its audit entry only.
    const before = walCommits(path);
    await cases[0]!();
    expect(walCommits(path) - before).toBe(1);
    expect((await api.system.audit.query({ limit: 10 })).entries.filter((e) => e.path === 'market.executeTrade')).toHaveLength(3);
  });

  it('writes the simulator\'s price ticks in batches: a tick nobody waits for costs no transaction of its own', async () => {
    const path = dbFile();
    desk = await startTestDesk({ statsIntervalMs: 3_600_000, desk: { journal: { path, synchronous: 'full' } } });
    desk.app.desk.journal!.db.pragma('wal_autocheckpoint = 0');
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'SIM', price: 10 });
    const before = walCommits(path);
    for (let i = 0; i < 200; i++) desk.app.commands.submit('sim.tick', { symbol: 'SIM', price: 10 + i / 100 });
    expect(walCommits(path)).toBe(before);
    // The next batch (every 100 ms) or the next mutation writes the newest value: one transaction.
    await api.feeds.pushNotification.mutate({ title: 'after the ticks' });
    expect(walCommits(path) - before).toBeLessThanOrEqual(2);
    expect((await api.market.prices.query()).find((t) => t.symbol === 'SIM')?.price).toBe(11.99);
  });
});
