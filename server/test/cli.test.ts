import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../app';
import { startTestDesk, type TestDesk } from './harness';
import { freePort, runCommand } from './process';

// The real CLI process (`npm run desk` runs `tsx shared/cli.ts`) against a real desk on port 0.
const tokens = { 'viewer-token-0123456789': 'viewer', 'operator-token-0123456789': 'operator', 'admin-token-0123456789': 'admin' } as const;
const ADMIN = 'admin-token-0123456789';
const VIEWER = 'viewer-token-0123456789';

let desk: TestDesk;
let url: string;
beforeAll(async () => {
  desk = await startTestDesk({ auth: { tokens }, sim: { enabled: true, ticksPerSecond: 200, symbols: ['AAPL', 'MSFT', 'NVDA'] } });
  url = desk.app.url;
});
afterAll(() => desk.close());

const cli = (args: string[], token = ADMIN) => runCommand(['shared/cli.ts', ...args, '--url', url, '--token', token]);

/** The CLI's stderr is one line per problem, never a stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
  return lines[0]!;
}

describe('CLI', () => {
  it('watches prices for the given symbols over WebSocket, SSE and the multiplexed SSE stream, one line per update naming the symbol', async () => {
    const watches = await Promise.all(['ws', 'sse', 'sse-mux'].map((transport) => cli(['watch', 'prices', '--symbols', 'AAPL,MSFT', '--count', '12', '--transport', transport])));
    for (const watch of watches) {
      expect(watch.code, watch.stderr).toBe(0);
      const lines = watch.stdout.trim().split('\n');
      expect(lines).toHaveLength(12);
      for (const line of lines) expect(line).toMatch(/^(AAPL|MSFT) \d+\.\d{2} \([+-]\d+\.\d{2}%\) bid .* #\d+$/);
      expect(new Set(lines.map((l) => l.split(' ')[0]))).toEqual(new Set(['AAPL', 'MSFT']));
    }
  });

  it('trades, nudges a price down with a negative number, and calls queries and mutations by path', async () => {
    const api = desk.client({ token: ADMIN });
    const before = (await api.market.prices.query()).find((t) => t.symbol === 'NVDA')!.price;
    await api.system.controlSimulator.mutate({ running: false });
    try {
      const [trade, tick, query, mutation] = await Promise.all([
        cli(['trade', '--symbol', 'AAPL', '--side', 'buy', '--qty', '3']),
        cli(['tick', '--symbol', 'NVDA', '--nudge', '-0.5']),
        cli(['call', 'market.positions']),
        cli(['call', 'feeds.pushNotification', JSON.stringify({ title: 'from the CLI', body: 'hello', level: 'info' })]),
      ]);
      for (const run of [trade!, tick!, query!, mutation!]) expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(trade!.stdout)).toMatchObject({ eventId: expect.stringMatching(/^\d+$/), trade: { symbol: 'AAPL', qty: 3, side: 'buy' } });
      expect(JSON.parse(tick!.stdout)).toMatchObject({ eventId: expect.stringMatching(/^\d+$/) });
      expect((await api.market.prices.query()).find((t) => t.symbol === 'NVDA')!.price).toBeLessThan(before);
      expect(Array.isArray(JSON.parse(query!.stdout))).toBe(true);
      expect(JSON.parse(mutation!.stdout)).toMatchObject({ eventId: expect.stringMatching(/^\d+$/) });
    } finally {
      await api.system.controlSimulator.mutate({ running: true });
    }
  });

  it('prints a refusal as one line with the offending fields and exits 1; a bad command line exits 2', async () => {
    const [invalid, forbidden, watchForbidden, watchUnknown, bogus, conflict] = await Promise.all([
      cli(['trade', '--symbol', 'AAPL', '--side', 'buy', '--qty', '-3']),
      cli(['call', 'system.stats'], VIEWER),
      cli(['watch', 'stats', '--transport', 'sse'], VIEWER),
      cli(['watch', 'prices'], 'not-a-token-0123456789'),
      cli(['trade', '--qty', '-5', '--bogus']),
      cli(['sim', '--start', '--stop']),
    ]);
    expect(invalid.code).toBe(1);
    expect(oneLine(invalid.stderr)).toMatch(/^error: invalid input: qty: /);
    expect(forbidden.code).toBe(1);
    expect(oneLine(forbidden.stderr)).toMatch(/^error: FORBIDDEN: /);
    // A refused subscription ends watch instead of being retried forever.
    expect(watchForbidden.code).toBe(1);
    expect(oneLine(watchForbidden.stderr)).toMatch(/^error: FORBIDDEN: /);
    expect(watchUnknown.code).toBe(1);
    expect(oneLine(watchUnknown.stderr)).toMatch(/^error: UNAUTHORIZED: /);
    expect(bogus.code).toBe(2);
    expect(oneLine(bogus.stderr)).toBe('usage error: unknown option --bogus; see --help');
    expect(conflict.code).toBe(2);
    expect(oneLine(conflict.stderr)).toBe('usage error: sim: --start and --stop exclude each other');
    // Refused before anything was sent: the simulator still runs.
    expect((await desk.client({ token: ADMIN }).system.simulator.query()).running).toBe(true);
  });

  it('lists every command on --help and exits 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['watch', 'trade', 'tick', 'decide', 'sim', 'call']) expect(help.stdout).toContain(`  ${command} `);
    expect(help.stdout).toContain('--token');
  });

  it('gives up on a desk that does not answer after --timeout, for a call and for watch, with one line and exit 1', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const [call, watch] = await Promise.all([
      runCommand(['shared/cli.ts', 'call', 'market.prices', '--url', dead, '--timeout', '3s']),
      runCommand(['shared/cli.ts', 'watch', 'prices', '--url', dead, '--timeout', '2s']),
    ]);
    expect(call.code).toBe(1);
    expect(oneLine(call.stderr)).toBe(`error: cannot reach ${dead} (ECONNREFUSED)`);
    expect(watch.code).toBe(1);
    expect(watch.stderr.trim().split('\n')).toEqual([`watch: cannot reach ${dead} (WebSocket closed); retrying with backoff`, `error: cannot reach ${dead} within 2s (--timeout)`]);
  });

  it('bounds a mutation to a desk that accepts the connection but never answers by --timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket.on('error', () => {})));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      const run = await runCommand(['shared/cli.ts', 'tick', '--symbol', 'AAPL', '--price', '1', '--url', silentUrl, '--timeout', '1500ms']);
      expect(run.code).toBe(1);
      expect(oneLine(run.stderr)).toBe(`error: no answer from ${silentUrl} within 1.5s (--timeout)`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it.each(['ws', 'sse', 'sse-mux'])('watch over %s keeps retrying while the desk is down and prints once it comes up', async (transport) => {
    const port = await freePort();
    const args = ['watch', 'prices', '--count', '3', '--url', `http://127.0.0.1:${port}`, '--timeout', '60s', '--transport', transport];
    const child = spawn(process.execPath, ['--import', 'tsx', 'shared/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let late: Awaited<ReturnType<typeof startApp>> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "cannot reach" line: ${stderr}`)), 20_000);
        child.stderr.on('data', () => stderr.includes('cannot reach') && (clearTimeout(timer), resolve()));
      });
      late = await startApp({ port, sim: { enabled: true, ticksPerSecond: 100 } });
      expect(await exited, stderr).toBe(0);
      expect(stdout.trim().split('\n')).toHaveLength(3);
      expect(stderr).toContain(`watch: connected to http://127.0.0.1:${port}`);
    } finally {
      child.kill('SIGKILL');
      await late?.stop();
    }
  });
});
