import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, AppRouter, Presence, StreamMessage } from '../../shared/index';
import { collector, sleep, startTestDesk, type TestDesk } from './harness';

const tokens = { 'viewer-token-0123456789': 'viewer', 'operator-token-0123456789': 'operator', 'admin-token-0123456789': 'admin' } as const;
const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const GRACE_MS = 400;

let desk: TestDesk;
let path: string;
beforeAll(async () => {
  path = join(mkdtempSync(join(tmpdir(), 'presence-')), 'desk.db');
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens }, agents: { offlineGraceMs: GRACE_MS }, desk: { journal: { path } } });
});
afterAll(() => desk.close());

const codeOf = (error: unknown) => (error as TRPCClientError<AppRouter>).data?.code;
const latest = (messages: Array<{ data: StreamMessage<Presence> }>): Presence | undefined => {
  const data = messages.at(-1)?.data;
  return data ? (data.type === 'changes' ? data.upserts[0] : data.items[0]) : undefined;
};
/** Opens a client's WebSocket (its first subscription) and resolves once the desk has answered on it. */
async function connected(api: ReturnType<TestDesk['client']>) {
  await new Promise<void>((resolve, reject) => {
    const sub = api.system.onHealth.subscribe({}, { onData: () => (sub.unsubscribe(), resolve()), onError: reject });
  });
}

describe('presence', () => {
  it('shows each connection with its kind, role, name and since when, and drops it when it closes', async () => {
    const admin = desk.client({ token: ADMIN, kind: 'dashboard' });
    const got = collector<StreamMessage<Presence>>();
    // A derived stream's messages come bare, without a tracked envelope.
    const sub = admin.system.onPresence.subscribe({}, { onData: (data) => got.onData({ id: '', data }), onError: got.onError });
    await got.until((m) => latest(m)?.counts.dashboard === 1);
    const before = Date.now();

    const { createDeskClient } = await import('../../shared/node');
    const script = createDeskClient({ url: desk.app.url, token: VIEWER });
    await connected(script.api);
    await got.until((m) => latest(m)?.counts.script === 1);
    const entry = latest(got.messages)!.connections.find((c) => c.kind === 'script')!;
    expect(entry).toMatchObject({ role: 'viewer', name: expect.stringMatching(/^viewer/), agentId: null, address: '127.0.0.1', instance: null });
    expect(entry.since).toBeGreaterThanOrEqual(before - 1000);
    expect(latest(got.messages)!.total).toBe(2);

    script.close();
    await got.until((m) => latest(m)?.counts.script === 0 && latest(m)?.total === 1);
    expect((await admin.system.presence.query()).connections.map((c) => c.kind)).toEqual(['dashboard']);
    sub.unsubscribe();
  });

  it('counts each SSE stream as a connection with its kind, and drops it when the stream closes', async () => {
    const admin = desk.client({ token: ADMIN, kind: 'dashboard' });
    const got = collector<StreamMessage<Presence>>();
    const sub = admin.system.onPresence.subscribe({}, { onData: (data) => got.onData({ id: '', data }), onError: got.onError });
    await got.until((m) => latest(m) !== undefined);
    const scripts = latest(got.messages)!.counts.script;

    const { createDeskClient } = await import('../../shared/node');
    const script = createDeskClient({ url: desk.app.url, token: VIEWER, transport: 'sse', kind: 'script' });
    const prices = collector<unknown>();
    const stream = script.api.market.onPrices.subscribe({}, prices);
    await prices.until((m) => m.length > 0);
    await got.until((m) => latest(m)?.counts.script === scripts + 1);
    expect(latest(got.messages)!.connections.find((c) => c.id.startsWith('sse-'))).toMatchObject({ id: expect.stringMatching(/^sse-/), role: 'viewer', address: '127.0.0.1' });

    stream.unsubscribe();
    script.close();
    await got.until((m) => latest(m)?.counts.script === scripts);
    sub.unsubscribe();
  });

  it('is for admins only: it names every caller', async () => {
    const operator = desk.client({ token: OPERATOR });
    expect(codeOf(await operator.system.presence.query().catch((e: unknown) => e))).toBe('FORBIDDEN');
    const refused = await new Promise((resolve) => {
      operator.system.onPresence.subscribe({}, { onData: () => resolve('delivered'), onError: resolve });
    });
    expect(codeOf(refused)).toBe('FORBIDDEN');
  });
});

describe('an agent marked offline by the desk', () => {
  it('goes offline once its last connection has been gone for the grace period, durably and for every subscriber', async () => {
    const { createDeskClient } = await import('../../shared/node');
    const agent = createDeskClient({ url: desk.app.url, token: OPERATOR, kind: 'agent', agentId: 'gone-1' });
    await connected(agent.api);
    await agent.api.agents.setStatus.mutate({ id: 'gone-1', name: 'Gone', status: 'active' });
    const watcher = collector<StreamMessage<Agent>>();
    const sub = desk.client({ token: VIEWER }).agents.onAgents.subscribe({ ids: ['gone-1'] }, watcher);
    await watcher.until((m) => m.length === 1);
    const admin = desk.client({ token: ADMIN });
    expect((await admin.system.presence.query()).connections.filter((c) => c.agentId === 'gone-1')).toHaveLength(1);

    const closedAt = Date.now();
    agent.close();
    await watcher.until((m) => m.some((x) => x.data.type === 'changes' && x.data.upserts.some((a) => a.status === 'offline')), 5000);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS);
    expect(desk.app.desk.topics.agents.get('gone-1')).toMatchObject({ status: 'offline', name: 'Gone' });
    sub.unsubscribe();

    // In the journal like any change: a desk reopened on the file has the agent offline.
    await desk.app.stop();
    const reopened = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens }, agents: { offlineGraceMs: GRACE_MS }, desk: { journal: { path } } });
    try {
      expect((await reopened.client({ token: VIEWER }).agents.agents.query()).find((a) => a.id === 'gone-1')?.status).toBe('offline');
    } finally {
      await reopened.close();
    }
    desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens }, agents: { offlineGraceMs: GRACE_MS }, desk: { journal: { path } } });
  });

  it('stays as it was when it reconnects within the grace period', async () => {
    const { createDeskClient } = await import('../../shared/node');
    const first = createDeskClient({ url: desk.app.url, token: OPERATOR, kind: 'agent', agentId: 'blip-1' });
    await connected(first.api);
    await first.api.agents.setStatus.mutate({ id: 'blip-1', status: 'busy' });
    first.close();
    await sleep(GRACE_MS / 4);
    const second = createDeskClient({ url: desk.app.url, token: OPERATOR, kind: 'agent', agentId: 'blip-1' });
    await connected(second.api);
    await sleep(GRACE_MS * 2);
    expect(desk.app.desk.topics.agents.get('blip-1')?.status).toBe('busy');
    second.close();
  });

  it('is not marked offline by a viewer that claims its id', async () => {
    const { createDeskClient } = await import('../../shared/node');
    await desk.client({ token: OPERATOR }).agents.setStatus.mutate({ id: 'claimed-1', status: 'active' });
    const impostor = createDeskClient({ url: desk.app.url, token: VIEWER, kind: 'agent', agentId: 'claimed-1' });
    await connected(impostor.api);
    const seen = (await desk.client({ token: ADMIN }).system.presence.query()).connections.filter((c) => c.role === 'viewer' && c.kind === 'agent');
    expect(seen.map((c) => c.agentId)).toEqual([null]);
    impostor.close();
    await sleep(GRACE_MS * 2);
    expect(desk.app.desk.topics.agents.get('claimed-1')?.status).toBe('active');
  });
});

describe('connection params', () => {
  it.each(['desk', 'stock'] as const)('on the %s transport: a connection is counted by its kind, and an unknown kind is refused with BAD_REQUEST', async (transport) => {
    const own = await startTestDesk({ transport, statsIntervalMs: 3_600_000 });
    try {
      await connected(own.client({ kind: 'dashboard' }));
      expect(own.app.presence.local().counts).toEqual({ dashboard: 1, agent: 0, script: 0 });
      const refused = await new Promise((resolve) => {
        own.client({ kind: 'robot' as never }).system.onHealth.subscribe({}, { onData: () => resolve('delivered'), onError: resolve });
      });
      expect(codeOf(refused)).toBe('BAD_REQUEST');
      expect((refused as Error).message).toBe('connection param kind must be one of dashboard, agent, script');
      expect(own.app.presence.local().counts).toEqual({ dashboard: 1, agent: 0, script: 0 });
    } finally {
      await own.close();
    }
  });
});
