import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited } from './process';
import { eventually, startTestDesk, type TestDesk } from './harness';

const tokens = { 'viewer-token-0123456789': 'viewer', 'operator-token-0123456789': 'operator' } as const;
const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';

let desk: TestDesk;
const children: ChildProcess[] = [];
/** The journal's clock, set into the past while a recorded session is written (backtest). */
let pinned: number | null = null;
const now = () => pinned ?? Date.now();
beforeAll(async () => {
  desk = await startTestDesk({
    statsIntervalMs: 3_600_000,
    auth: { tokens },
    agents: { offlineGraceMs: 500 },
    desk: { journal: { path: ':memory:', now }, checkpoints: { now } },
  });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await desk.close();
});

/** Runs an example with tsx against the test desk, collecting its output. */
function run(file: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    env: { ...process.env, DESK_URL: desk.app.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

describe('examples/momentum-bot.ts', () => {
  it('registers, trades on momentum, acknowledges a pause and a flatten, and is marked offline once killed', async () => {
    const operator = desk.client({ token: OPERATOR });
    const { topics } = desk.app.desk;
    await operator.market.setPrice.mutate({ symbol: 'MOMO', price: 100 });
    const bot = run('examples/momentum-bot.ts', [], { DESK_TOKEN: OPERATOR, BOT_ID: 'momo-1', BOT_SYMBOL: 'MOMO' });
    await eventually(() => topics.agents.get('momo-1')?.status === 'active', 20_000, `bot registered (${bot.stderr()})`);
    await eventually(() => bot.stdout().includes('registered momo-1'), 5000, 'bot says it registered');

    // A steady climb: momentum over the window, so the bot buys.
    for (let price = 101; price <= 106; price++) await operator.market.setPrice.mutate({ symbol: 'MOMO', price });
    await eventually(() => topics.trades.buffer.last(100, (t) => t.agentId === 'momo-1').length > 0, 5000, `bot traded (${bot.stdout()})`);
    const [bought] = topics.trades.buffer.last(1, (t) => t.agentId === 'momo-1');
    expect(bought).toMatchObject({ symbol: 'MOMO', side: 'buy', qty: 10, decisionId: expect.any(String) });

    const { command: pause } = await operator.agents.sendCommand.mutate({ agentId: 'momo-1', kind: 'pause' });
    await eventually(() => topics.agentCommands.get(pause.id)?.state === 'acknowledged', 5000, 'pause acknowledged');
    expect(topics.agents.get('momo-1')?.status).toBe('idle');
    expect(bot.stdout()).toContain('paused');

    const { command: flatten } = await operator.agents.sendCommand.mutate({ agentId: 'momo-1', kind: 'flatten' });
    await eventually(() => topics.agentCommands.get(flatten.id)?.state === 'acknowledged', 5000, 'flatten acknowledged');
    expect(topics.agentCommands.get(flatten.id)?.message).toBe('flat');
    expect(topics.trades.buffer.last(1, (t) => t.agentId === 'momo-1')[0]).toMatchObject({ side: 'sell', qty: 10 });

    const { command: resume } = await operator.agents.sendCommand.mutate({ agentId: 'momo-1', kind: 'resume' });
    await eventually(() => topics.agentCommands.get(resume.id)?.state === 'acknowledged', 5000, 'resume acknowledged');
    expect(topics.agents.get('momo-1')?.status).toBe('active');

    // Killed without a word: the desk marks it offline by itself after the grace period.
    bot.child.kill('SIGKILL');
    await exited(bot.child);
    await eventually(() => topics.agents.get('momo-1')?.status === 'offline', 5000, 'bot offline');
  });
});

describe('examples/watch-prices.ts', () => {
  it('prints --count updates and exits 0 by itself', async () => {
    const operator = desk.client({ token: OPERATOR });
    await operator.market.setPrice.mutate({ symbol: 'WTCH', price: 5 });
    const watcher = run('examples/watch-prices.ts', ['--symbols', 'WTCH', '--count', '3'], { DESK_TOKEN: VIEWER });
    await eventually(() => watcher.stdout().includes('WTCH 5'), 20_000, `snapshot printed (${watcher.stderr()})`);
    await operator.market.setPrice.mutate({ symbol: 'WTCH', price: 6 });
    await eventually(() => watcher.stdout().includes('WTCH 6'), 5000, 'first change printed');
    await operator.market.setPrice.mutate({ symbol: 'WTCH', price: 7 });
    expect(await exited(watcher.child)).toBe(0);
    expect(watcher.stdout().trim().split('\n')).toEqual([expect.stringMatching(/^#\d+ WTCH 5$/), expect.stringMatching(/^#\d+ WTCH 6$/), expect.stringMatching(/^#\d+ WTCH 7$/)]);
  });

  it('exits 0 on SIGINT', async () => {
    const watcher = run('examples/watch-prices.ts', ['--symbols', 'WTCH'], { DESK_TOKEN: VIEWER });
    await eventually(() => watcher.stdout().includes('WTCH'), 20_000, `snapshot printed (${watcher.stderr()})`);
    watcher.child.kill('SIGINT');
    expect(await exited(watcher.child)).toBe(0);
    expect(watcher.stderr()).toBe('');
  });

  it('exits 1 with one line when the desk refuses it', async () => {
    const watcher = run('examples/watch-prices.ts', ['--count', '1'], { DESK_TOKEN: 'not-a-token-at-all-0000' });
    expect(await exited(watcher.child)).toBe(1);
    expect(watcher.stderr().trim().split('\n')).toHaveLength(1);
    expect(watcher.stderr()).toMatch(/^watch: /);
  });
});

describe('examples/backtest.ts', () => {
  it('replays a recorded session at 100x, trades on paper on its momentum, prints the result and exits 0', async () => {
    const { desk: d } = desk.app;
    // Two recorded minutes: a climb, then a fall, two ticks a second.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 150_000;
    const at = (ts: number, write: () => void) => {
      pinned = ts;
      d.clock.at(ts, write);
      pinned = null;
    };
    at(t0 - 1000, () => d.hub.commit((tx) => d.market.writeTick(tx, 'BKT', 100)));
    at(t0 - 900, () => d.replay!.checkpointer.write());
    for (let i = 0; i < 240; i++) {
      const price = i < 120 ? 100 + i * 0.1 : 112 - (i - 120) * 0.12;
      at(t0 + i * 500, () => d.hub.commit((tx) => d.market.writeTick(tx, 'BKT', price)));
    }
    d.journal!.flushLatest();
    const tradesBefore = d.topics.trades.buffer.last(1000, () => true).length;
    const bot = run('examples/backtest.ts', [], { DESK_TOKEN: VIEWER, BOT_SYMBOL: 'BKT', BACKTEST_FROM: String(t0) });
    expect(await exited(bot.child)).toBe(0);
    const lines = bot.stdout().trim().split('\n');
    // Bought on the climb, sold (and went short) on the fall; a 100x replay of 2 minutes.
    expect(lines[0]).toMatch(/ buy 10 BKT at 10\d/);
    expect(lines.some((line) => / sell 10 BKT at /.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/^backtest BKT: \d+ trades, held -?\d+, P&L -?\d+\.\d\d at \d/);
    expect(bot.stderr()).toBe('');
    // On paper: the desk got no trade.
    expect(d.topics.trades.buffer.last(1000, () => true).length).toBe(tradesBefore);
  }, 30_000);

  it('is what docs/client.md shows of it', () => {
    const docs = readFileSync('docs/client.md', 'utf8');
    const block = docs.split('<!-- check: checked-by server/test/examples.test.ts -->')[1]!.split('```')[1]!;
    const source = readFileSync('examples/backtest.ts', 'utf8');
    const lines = block.split('\n').slice(1).filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(source).toContain(line.trim());
  });

  it('exits 1 with one line for a moment the desk cannot rebuild', async () => {
    const bot = run('examples/backtest.ts', [], { DESK_TOKEN: VIEWER, BACKTEST_FROM: '1000000000000' });
    expect(await exited(bot.child)).toBe(1);
    expect(bot.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^backtest: .*before the oldest moment/)]);
  });
});
