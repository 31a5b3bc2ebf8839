import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import type { WsTransport } from '../app';
import { collector, startTestDesk, type TestDesk } from './harness';
import { sendRaw, type RawRequest } from './raw-http';

interface Case extends RawRequest {
  name: string;
  expect: number | number[];
}
const corpus = JSON.parse(readFileSync(new URL('./fuzz-corpus/requests.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe.each<WsTransport>(['desk', 'stock'])('hostile HTTP requests and upgrades (%s transport)', (transport) => {
  let desk: TestDesk;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hostile-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>desk</title>');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), '[core]');
    mkdirSync(join(dir, 'data'));
    for (const name of ['desk.db', 'desk.db-wal', 'admin-token']) writeFileSync(join(dir, 'data', name), 'private');
    desk = await startTestDesk({ transport, staticDir: dir, statsIntervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await desk.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every case of the corpus with its status, and a well-behaved client is unaffected', async () => {
    const good = collector<StreamMessage<DeskCustomEvent>>();
    const api = desk.client();
    const sub = api.feeds.onCustom.subscribe({ type: 'good', limit: 0 }, good);
    await good.until((m) => m.length > 0);

    let published = 0;
    for (const entry of corpus.cases) {
      const response = await sendRaw(desk.app.port, entry);
      const expected = Array.isArray(entry.expect) ? entry.expect : [entry.expect];
      expect(expected, `${entry.name}: ${response.head.split('\r\n')[0]}`).toContain(response.status);
      expect(response.body, entry.name).not.toMatch(/private|SECRET|\[core\]|"stack"|"dependencies"|root:x:/);
      await api.feeds.broadcastCustom.mutate({ type: 'good', data: published++ });
    }

    const health = await fetch(`${desk.app.url}/health`);
    expect(health.status).toBe(200);
    expect(await api.system.health.query()).toMatchObject({ status: 'ok' });
    const items = () => good.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data) : []));
    await good.until(() => items().length === published);
    expect(items()).toEqual(Array.from({ length: published }, (_, i) => i));
    sub.unsubscribe();
  });
});
