import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PriceTick, StreamMessage } from '../../shared/index';
import { createDeskClient } from '../../shared/node';
import { collector, eventually } from './harness';
import { exited, freePort, runCommand, spawnServer, TEST_TOKEN } from './process';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('process lifecycle', () => {
  it('on SIGTERM tells clients to reconnect and exits 0; clients resume on the next server', async () => {
    const port = await freePort();
    const env = { DESK_DB: join(mkdtempSync(join(tmpdir(), 'desk-')), 'desk.db') };
    const first = await spawnServer(port, env);
    children.push(first);
    const states: string[] = [];
    const desk = createDeskClient({ url: `http://127.0.0.1:${port}`, token: TEST_TOKEN, onConnectionChange: (s) => states.push(s) });
    const got = collector<StreamMessage<PriceTick>>();
    const sub = desk.api.market.onPrices.subscribe({ symbols: ['SG'] }, got);
    await desk.api.market.setPrice.mutate({ symbol: 'SG', price: 1 });
    await got.until((m) => m.some((x) => x.data.type !== 'snapshot' || x.data.items.length > 0));

    first.kill('SIGTERM');
    expect(await exited(first)).toBe(0);
    expect(first.output()).toContain('SIGTERM: draining');
    await eventually(() => states.includes('closed'), 5000, 'client saw the close');

    // Changed while no server runs: the next one restores it from the data directory.
    const second = await spawnServer(port, env);
    children.push(second);
    await eventually(() => states.lastIndexOf('open') > states.indexOf('closed'), 15_000, 'client reconnected');
    await desk.api.market.setPrice.mutate({ symbol: 'SG', price: 2 });
    await got.until((m) => m.some((x) => x.data.type === 'changes' && x.data.upserts.some((t) => t.price === 2)), 10_000);
    // Resumed exactly: no resync snapshot, and the price it had is still the server's.
    expect(got.messages.filter((x) => x.data.type === 'snapshot')).toHaveLength(1);
    expect((await desk.api.market.prices.query()).find((t) => t.symbol === 'SG')?.price).toBe(2);
    sub.unsubscribe();
    desk.close();
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  });

  it('refuses to start with a clear message listing every bad variable', async () => {
    const { code, stderr } = await runCommand(['server/main.ts'], { PORT: 'abc', DESK_SIM_TPS: '-1' });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('DESK_SIM_TPS');
  });
});
