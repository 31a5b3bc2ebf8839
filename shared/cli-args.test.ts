import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS, joinNegativeNumbers, parseCli, parseDuration, STREAMS, USAGE, UsageError } from './cli-args';

const usage = (argv: string[]) => {
  try {
    parseCli(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseCli', () => {
  it('reads negative numbers given after their option or joined to it', () => {
    expect(parseCli(['trade', '--symbol', 'AAPL', '--side', 'sell', '--qty', '-5']).command).toMatchObject({ input: { qty: -5 } });
    expect(parseCli(['tick', '--symbol', 'AAPL', '--nudge', '-0.01']).command).toMatchObject({ input: { symbol: 'AAPL', nudgePct: -0.01 } });
    expect(parseCli(['tick', '--symbol', 'AAPL', '--nudge=-.5']).command).toMatchObject({ input: { nudgePct: -0.5 } });
    expect(joinNegativeNumbers(['--qty', '-5', '--start', '-h'])).toEqual(['--qty=-5', '--start', '-h']);
  });

  it('refuses unknown options, missing values and options of another command, in one line each', () => {
    expect(usage(['trade', '--bogus'])).toBe('unknown option --bogus; see --help');
    expect(usage(['trade', '--symbol', 'A', '--qty'])).toBe('--qty needs a value');
    expect(usage(['trade', '--qty', '--side', 'buy'])).toBe('--qty needs a value');
    expect(usage(['trade', '--symbol', 'A', '--side', 'buy', '--qty', '1', '--tps', '3'])).toBe('trade does not take --tps; see --help');
    expect(usage(['tick', '--symbol', 'A', '--price', '1', '--transport', 'sse'])).toBe('tick does not take --transport; see --help');
    expect(usage(['--start=yes', 'sim'])).toBe('--start takes no value');
  });

  it('refuses values that are not what the option takes', () => {
    expect(usage(['watch', 'prices', '--count', 'abc'])).toBe('--count: expected a number, got "abc"');
    expect(usage(['watch', 'prices', '--count', '0'])).toBe('--count: expected 1 or more, got "0"');
    expect(usage(['watch', 'prices', '--count', '1.5'])).toBe('--count: expected a whole number, got "1.5"');
    expect(usage(['watch', 'prices', '--transport', 'bogus'])).toBe('--transport: expected ws or sse or sse-mux, got "bogus"');
    expect(usage(['trade', '--symbol', 'A', '--side', 'hold', '--qty', '1'])).toBe('--side: expected buy or sell, got "hold"');
    expect(usage(['trade', '--symbol', 'A', '--side', 'buy', '--qty', '1e999'])).toBe('--qty: expected a number, got "1e999"');
    expect(usage(['trade', '--symbol', 'A', '--side', 'buy', '--qty', '0x10'])).toBe('--qty: expected a number, got "0x10"');
    expect(usage(['call', 'system.stats', '--timeout', 'soon'])).toMatch(/^--timeout: expected a duration/);
    expect(usage(['call', 'system.stats', '--url', 'ftp://x'])).toMatch(/^--url: expected an http/);
  });

  it('refuses a filter the watched stream does not have, naming the ones it has', () => {
    expect(usage(['watch', 'portfolio', '--symbols', 'AAPL'])).toBe('watch portfolio does not take --symbols; it takes --max-hz');
    expect(usage(['watch', 'prices', '--agent', 'm-1'])).toBe('watch prices does not take --agent; it takes --symbols, --max-hz');
    expect(usage(['watch', 'prices', '--limit', '5'])).toBe('watch prices does not take --limit; it takes --symbols, --max-hz');
    expect(parseCli(['watch', 'metrics', '--name', 'latency', '--limit', '5']).command).toMatchObject({ path: 'feeds.onMetrics', input: { name: 'latency', limit: 5 } });
    expect(parseCli(['watch', 'memory', '--agent', 'a1', '--tags', 'risk,news', '--min-importance', '0.5']).command).toMatchObject({
      path: 'agents.onMemory',
      input: { agentId: 'a1', tags: ['risk', 'news'], minImportance: 0.5 },
    });
    expect(parseCli(['watch', 'agents', '--ids', 'a,b']).command).toMatchObject({ path: 'agents.onAgents', input: { ids: ['a', 'b'] } });
    expect(parseCli(['watch', 'workflows', '--workflow', 'w1']).command).toMatchObject({ input: { workflowId: 'w1' } });
  });

  it('refuses conflicting options, missing required ones and extra arguments', () => {
    expect(usage(['sim', '--start', '--stop'])).toBe('sim: --start and --stop exclude each other');
    expect(usage(['tick', '--symbol', 'A', '--price', '1', '--nudge', '0.1'])).toBe('tick: give exactly one of --price and --nudge');
    expect(usage(['tick', '--symbol', 'A'])).toBe('tick: give exactly one of --price and --nudge');
    expect(usage(['trade', '--symbol', 'A', '--side', 'buy'])).toBe('trade: --qty is required');
    expect(usage(['decide', '--agent', 'a', '--symbol', 'A', '--action', 'buy'])).toBe('decide: --confidence is required');
    expect(usage(['trade', 'now', '--symbol', 'A'])).toBe('trade: unexpected argument "now"');
    expect(usage(['watch', 'prices', 'trades'])).toBe('watch: unexpected argument "trades"');
    expect(usage(['call', 'system.stats', '{}', 'more'])).toBe('call: unexpected argument "more"');
    expect(usage([])).toBe('no command given; see --help');
    expect(usage(['buy'])).toMatch(/^unknown command "buy"; one of watch, trade/);
    expect(usage(['watch'])).toMatch(/^watch: which stream\? one of prices/);
    expect(usage(['watch', 'price'])).toMatch(/^watch: unknown stream "price"/);
  });

  it('knows a query from a mutation for call, and refuses what it cannot call', () => {
    expect(parseCli(['call', 'system.stats']).command).toEqual({ name: 'call', path: 'system.stats', kind: 'query', input: undefined });
    expect(parseCli(['call', 'alerts.dismiss', '{"id":"a1"}']).command).toEqual({ name: 'call', path: 'alerts.dismiss', kind: 'mutation', input: { id: 'a1' } });
    expect(usage(['call', 'market.onPrices'])).toBe('call: unknown procedure "market.onPrices"; subscriptions are followed with watch');
    expect(usage(['call', 'market.nope'])).toMatch(/^call: unknown procedure "market.nope"; one of market.prices, /);
    expect(usage(['call', 'alerts.dismiss', '{id:1}'])).toMatch(/^call: the input is not JSON \(/);
    expect(usage(['call'])).toBe('call: which procedure? e.g. call system.stats');
  });

  it('takes url and token from the environment unless given, and bounds every command but watch by default', () => {
    const env = { DESK_URL: 'http://desk:1', DESK_TOKEN: 'tok' };
    expect(parseCli(['call', 'system.stats'], env)).toMatchObject({ url: 'http://desk:1', token: 'tok', timeoutMs: DEFAULT_TIMEOUT_MS });
    expect(parseCli(['call', 'system.stats', '--url', 'http://other:2', '--token', 'mine', '--timeout', '500ms'], env)).toMatchObject({ url: 'http://other:2', token: 'mine', timeoutMs: 500 });
    expect(parseCli(['watch', 'prices'])).toMatchObject({ url: 'http://127.0.0.1:3000', token: undefined, timeoutMs: undefined, transport: 'ws' });
    expect(parseCli(['watch', 'prices', '--timeout', '2', '--transport', 'sse'])).toMatchObject({ timeoutMs: 2000, transport: 'sse' });
    expect(parseCli(['watch', 'prices', '--transport', 'sse-mux'])).toMatchObject({ transport: 'sse-mux' });
  });

  it('builds each command input with only the options given', () => {
    expect(parseCli(['watch', 'decisions', '--agent', 'm-1', '--limit', '5', '--count', '3']).command).toEqual({
      name: 'watch',
      stream: 'decisions',
      path: 'agents.onDecisions',
      input: { agentId: 'm-1', limit: 5 },
      count: 3,
    });
    expect(parseCli(['sim', '--stop']).command).toEqual({ name: 'sim', path: 'system.controlSimulator', input: { running: false } });
    expect(parseCli(['sim', '--tps', '20', '--symbols', 'A, B', '--seed', '7']).command).toMatchObject({ input: { ticksPerSecond: 20, symbols: ['A', 'B'], seed: 7 } });
  });

  it('answers --help anywhere on the line with a text naming every command and option', () => {
    expect(parseCli(['trade', '--help']).command).toEqual({ name: 'help' });
    expect(parseCli(['-h']).command).toEqual({ name: 'help' });
    for (const command of ['watch', 'trade', 'tick', 'decide', 'sim', 'call']) expect(USAGE).toContain(`  ${command} `);
    for (const stream of Object.keys(STREAMS)) expect(USAGE).toContain(stream);
    const options = ['url', 'token', 'timeout', 'transport', 'symbols', 'symbol', 'agent', 'ids', 'workflow', 'name', 'min-severity', 'type', 'limit', 'max-hz', 'count', 'side', 'qty', 'price', 'nudge', 'action', 'confidence', 'reasoning', 'start', 'stop', 'tps', 'seed', 'help'];
    for (const option of options) expect(USAGE).toContain(`--${option} `.trimEnd());
  });
});

describe('parseDuration', () => {
  it('reads milliseconds, seconds, minutes and bare seconds', () => {
    expect([parseDuration('250ms'), parseDuration('1.5s'), parseDuration('2m'), parseDuration('3')]).toEqual([250, 1500, 120_000, 3000]);
    expect(() => parseDuration('0')).toThrow(UsageError);
    expect(() => parseDuration('-1s')).toThrow(UsageError);
  });
});
