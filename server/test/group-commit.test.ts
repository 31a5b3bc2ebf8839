import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { collector, startTestDesk, type TestDesk } from './harness';
import { walCommits } from './wal';

// One desk for the file, on a real file with an fsync per transaction, so a transaction is a WAL commit.
const path = join(mkdtempSync(join(tmpdir(), 'group-commit-')), 'desk.db');
let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, desk: { journal: { path, synchronous: 'full' } } });
  // No checkpoint may restart the WAL while its transactions are counted.
  desk.app.desk.journal!.db.pragma('wal_autocheckpoint = 0');
});
afterAll(() => desk.close());

const codeOf = (outcome: PromiseSettledResult<unknown>) =>
  outcome.status === 'rejected' ? (outcome.reason instanceof TRPCError ? outcome.reason.code : String(outcome.reason)) : 'OK';
const itemsOf = (messages: Array<{ data: StreamMessage<DeskCustomEvent> }>) =>
  messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data) : []));

describe('group commit', () => {
  it('runs the mutations of one turn in one transaction, in arrival order, each seeing the ones before it', async () => {
    const { commands, desk: state } = desk.app;
    await commands.execute('market.setPrice', { symbol: 'GC', price: 10 });
    const before = walCommits(path);
    const answers = await Promise.all([
      commands.execute('market.executeTrade', { symbol: 'GC', side: 'buy', qty: 2 }),
      commands.execute('market.setPrice', { symbol: 'GC', price: 12 }),
      commands.execute('market.executeTrade', { symbol: 'GC', side: 'buy', qty: 2 }),
      commands.execute('market.executeTrade', { symbol: 'GC', side: 'sell', qty: 4 }),
      commands.execute('feeds.pushNotification', { title: 'grouped', severity: 'info', body: '' }),
    ]);
    expect(walCommits(path) - before).toBe(1);
    const ids = answers.map((a) => Number(a.eventId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    // The second buy averaged in at 12 and the sell closed all four: each saw the one before.
    const [buy1, , buy2, sell] = answers as Array<{ trade: { price: number; realizedPnl: number } }>;
    expect([buy1!.trade.price, buy2!.trade.price, sell!.trade.price]).toEqual([10, 12, 12]);
    expect(sell!.trade.realizedPnl).toBeCloseTo(4, 8);
    expect(state.topics.positions.values().filter((p) => p.symbol === 'GC')).toEqual([]);
  });

  it('refuses one mutation of a group alone: the others apply, under consecutive ids', async () => {
    const { commands, desk: state } = desk.app;
    const lastId = state.hub.lastId;
    const outcomes = await Promise.allSettled([
      commands.execute('feeds.broadcastCustom', { type: 'solo', data: 1 }),
      commands.execute('market.executeTrade', { symbol: 'NO-PRICE', side: 'buy', qty: 1 }),
      commands.execute('alerts.dismiss', { id: 'no-such-alert' }),
      commands.execute('feeds.broadcastCustom', { type: 'solo', data: 2 }),
    ]);
    expect(outcomes.map(codeOf)).toEqual(['OK', 'BAD_REQUEST', 'NOT_FOUND', 'OK']);
    const ids = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [Number((o.value as { eventId: string }).eventId)] : []));
    expect(ids).toEqual([lastId + 1, lastId + 2]);
    expect(state.topics.positions.values().some((p) => p.symbol === 'NO-PRICE')).toBe(false);
  });

  it('holds idempotency inside a group: a key used twice applies once and answers both alike; reused for another path, CONFLICT', async () => {
    const { commands, desk: state } = desk.app;
    await commands.execute('market.setPrice', { symbol: 'GK', price: 20 });
    const before = state.hub.lastId;
    const outcomes = await Promise.allSettled([
      commands.execute('market.executeTrade', { symbol: 'GK', side: 'buy', qty: 1 }, 'group-key-1'),
      commands.execute('market.executeTrade', { symbol: 'GK', side: 'buy', qty: 1 }, 'group-key-1'),
      commands.execute('feeds.pushNotification', { title: 'other path', severity: 'info', body: '' }, 'group-key-1'),
    ]);
    expect(outcomes.map(codeOf)).toEqual(['OK', 'OK', 'CONFLICT']);
    const [first, second] = outcomes as Array<PromiseFulfilledResult<unknown>>;
    expect(second!.value).toEqual(first!.value);
    expect(state.hub.lastId).toBe(before + 1);
    expect(state.topics.positions.values().find((p) => p.symbol === 'GK')?.qty).toBe(1);
    // Later, from the key on disk: the same answer again, nothing applied.
    expect(await commands.execute('market.executeTrade', { symbol: 'GK', side: 'buy', qty: 1 }, 'group-key-1')).toEqual(first!.value);
    expect(state.hub.lastId).toBe(before + 1);
  });

  it('writes the audit entry of every caller in the group exactly once, each with its own event id and the input it sent', async () => {
    const clients = Array.from({ length: 4 }, () => desk.client());
    const answers = await Promise.all(
      clients.flatMap((api, c) => Array.from({ length: 10 }, (_, i) => api.feeds.broadcastCustom.mutate({ type: 'audited', data: { c, i } }))),
    );
    const { entries } = await clients[0]!.system.audit.query({ limit: 100, path: 'feeds.broadcastCustom' });
    const audited = entries.filter((e) => e.code === 'OK' && e.input?.includes('"audited"'));
    expect(audited.map((e) => e.eventId).sort()).toEqual(answers.map((a) => a.eventId).sort());
    // As sent: the client's own idempotency key beside the fields, nothing the desk adds.
    const sent = clients.flatMap((_, c) => Array.from({ length: 10 }, (_, i) => JSON.stringify({ type: 'audited', data: { c, i } })));
    const inputs = audited.map((e) => JSON.parse(e.input!) as { idempotencyKey?: string });
    expect(inputs.every((input) => typeof input.idempotencyKey === 'string')).toBe(true);
    expect(inputs.map(({ idempotencyKey: _, ...rest }) => JSON.stringify(rest)).sort()).toEqual(sent.sort());
  });

  it('fails every mutation of a group whose write fails on a full disk, and leaves no trace: not in memory, on the wire or under a key', async () => {
    const { commands, desk: state } = desk.app;
    const api = desk.client();
    const got = collector<StreamMessage<DeskCustomEvent>>();
    const sub = api.feeds.onCustom.subscribe({ type: 'full-group', limit: 0 }, got);
    await got.until((m) => m.length === 1);
    await commands.execute('market.setPrice', { symbol: 'GF', price: 30 });
    const lastId = state.hub.lastId;
    const portfolio = state.topics.portfolio.get('portfolio');
    const db = state.journal!.db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    // Far more than the file's free pages hold, in one turn: one group.
    const send = () => [
      commands.execute('market.setPrice', { symbol: 'GF-NEW', price: 5 }, 'full-group-price'),
      commands.execute('market.executeTrade', { symbol: 'GF', side: 'buy', qty: 3 }, 'full-group-trade'),
      ...Array.from({ length: 100 }, (_, i) =>
        commands.execute('feeds.broadcastCustom', { type: 'full-group', data: { i, pad: 'x'.repeat(1_500) } }, `full-group-${i}`),
      ),
    ];
    const failed = await Promise.allSettled(send());
    expect(new Set(failed.map(codeOf))).toEqual(new Set(['SERVICE_UNAVAILABLE']));
    expect(String((failed[0] as PromiseRejectedResult).reason.message)).toMatch(/database or disk is full.*nothing was applied/);
    expect(state.hub.lastId).toBe(lastId);
    expect(state.topics.prices.get('GF-NEW')).toBeUndefined();
    expect(state.topics.positions.values().some((p) => p.symbol === 'GF')).toBe(false);
    expect(state.topics.portfolio.get('portfolio')).toEqual(portfolio);
    expect(state.topics.custom.buffer.last(10, (e) => e.type === 'full-group')).toEqual([]);

    // Space is back: the same keys apply now, once each, under the ids the failed group would have had.
    db.pragma('max_page_count = 1000000');
    const applied = await Promise.all(send());
    expect(applied.map((a) => Number(a.eventId))).toEqual(applied.map((_, i) => lastId + 1 + i));
    expect(await Promise.all(send())).toEqual(applied);
    await got.until((m) => itemsOf(m).length === 100);
    expect(itemsOf(got.messages).map((d) => (d as { i: number }).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(state.topics.positions.values().find((p) => p.symbol === 'GF')?.qty).toBe(3);
    // The failed trade took nothing from the cash either: only the applied one did.
    expect(state.topics.portfolio.get('portfolio')!.cash).toBeCloseTo(portfolio!.cash - 3 * 30, 8);
    sub.unsubscribe();
  });
});
