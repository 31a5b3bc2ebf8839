import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { CALLABLE_PATHS, procedureKind, type SubscriptionPath } from './cli-procedures';
import * as stream from './schema/stream';

/** The streams `watch` follows, by the name the CLI gives them, with the input each takes. */
export const STREAMS = {
  prices: { path: 'market.onPrices', input: stream.pricesInput },
  portfolio: { path: 'market.onPortfolio', input: stream.portfolioInput },
  positions: { path: 'market.onPositions', input: stream.positionsInput },
  trades: { path: 'market.onTrades', input: stream.tradesInput },
  candles: { path: 'market.onCandles', input: stream.candlesStreamInput },
  decisions: { path: 'agents.onDecisions', input: stream.decisionsInput },
  agents: { path: 'agents.onAgents', input: stream.agentsInput },
  tasks: { path: 'agents.onTasks', input: stream.tasksInput },
  commands: { path: 'agents.onCommands', input: stream.agentCommandsInput },
  workflows: { path: 'agents.onWorkflows', input: stream.workflowsInput },
  rules: { path: 'alerts.onRules', input: stream.alertRulesInput },
  alerts: { path: 'alerts.onAlerts', input: stream.alertsInput },
  signals: { path: 'feeds.onSignals', input: stream.signalsInput },
  notifications: { path: 'feeds.onNotifications', input: stream.severityLogInput },
  'system-alerts': { path: 'feeds.onSystemAlerts', input: stream.severityLogInput },
  custom: { path: 'feeds.onCustom', input: stream.customInput },
  metrics: { path: 'feeds.onMetrics', input: stream.metricsInput },
  memory: { path: 'agents.onMemory', input: stream.memoryInput },
  health: { path: 'system.onHealth', input: stream.healthInput },
  stats: { path: 'system.onStats', input: stream.statsInput },
  presence: { path: 'system.onPresence', input: stream.presenceInput },
} as const satisfies Record<string, { path: SubscriptionPath; input: z.ZodDefault<z.ZodObject> | z.ZodObject }>;
// Every subscription of the desk can be watched: one added to the router without a name here is a
// compile error.
const streamsComplete: [Exclude<SubscriptionPath, (typeof STREAMS)[keyof typeof STREAMS]['path']>] extends [never] ? true : false = true;
void streamsComplete;
export type StreamName = keyof typeof STREAMS;

/** A command line the CLI cannot run as given; exits 2 with its one-line message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Input = Record<string, unknown>;

/** What to run, as `parseCli` understood it. */
export type CliCommand =
  | { name: 'help' }
  | { name: 'watch'; stream: StreamName; path: string; input: Input; count: number | undefined }
  | { name: 'trade' | 'tick' | 'decide' | 'sim'; path: string; input: Input }
  | { name: 'call'; path: string; kind: 'query' | 'mutation'; input: unknown };

/** A parsed command line: the command and the options every command takes. */
export interface CliArgs {
  command: CliCommand;
  url: string;
  token: string | undefined;
  /** How `watch` subscribes: WebSocket, one SSE stream per subscription, or one multiplexed SSE stream. */
  transport: 'ws' | 'sse' | 'sse-mux';
  /** Bound on the whole run in ms; undefined for no bound (`watch` without `--timeout`). */
  timeoutMs: number | undefined;
}

/** A one-shot command that gets no answer gives up after this long. */
export const DEFAULT_TIMEOUT_MS = 15_000;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  timeout: { type: 'string' },
  transport: { type: 'string' },
  symbols: { type: 'string' },
  symbol: { type: 'string' },
  agent: { type: 'string' },
  ids: { type: 'string' },
  workflow: { type: 'string' },
  name: { type: 'string' },
  'min-severity': { type: 'string' },
  tags: { type: 'string' },
  'min-importance': { type: 'string' },
  type: { type: 'string' },
  limit: { type: 'string' },
  'max-hz': { type: 'string' },
  interval: { type: 'string' },
  count: { type: 'string' },
  side: { type: 'string' },
  qty: { type: 'string' },
  price: { type: 'string' },
  nudge: { type: 'string' },
  action: { type: 'string' },
  confidence: { type: 'string' },
  reasoning: { type: 'string' },
  start: { type: 'boolean' },
  stop: { type: 'boolean' },
  tps: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
type OptionName = keyof typeof OPTIONS;

/** `watch` options and the stream input field each sets. */
const FILTER_OPTIONS = {
  symbols: 'symbols',
  agent: 'agentId',
  ids: 'ids',
  workflow: 'workflowId',
  name: 'name',
  'min-severity': 'minSeverity',
  tags: 'tags',
  'min-importance': 'minImportance',
  type: 'type',
  limit: 'limit',
  'max-hz': 'maxHz',
  symbol: 'symbol',
  interval: 'interval',
} as const satisfies Partial<Record<OptionName, string>>;

const COMMON: OptionName[] = ['url', 'token', 'timeout', 'help'];
const ALLOWED: Record<string, OptionName[]> = {
  watch: ['transport', 'symbol', 'interval', 'symbols', 'agent', 'ids', 'workflow', 'name', 'min-severity', 'tags', 'min-importance', 'type', 'limit', 'max-hz', 'count'],
  trade: ['symbol', 'side', 'qty', 'price', 'agent'],
  tick: ['symbol', 'price', 'nudge'],
  decide: ['agent', 'symbol', 'action', 'confidence', 'qty', 'reasoning'],
  sim: ['start', 'stop', 'tps', 'symbols', 'seed'],
  call: [],
};

/** The `--help` text: every command and every option. */
export const USAGE = `usage: npm run desk -- <command> [options]

commands:
  watch <stream>     print live updates, one line each; retries with backoff while the desk is unreachable
                     streams: ${Object.keys(STREAMS).join(', ')}
                     filters, each where the stream has it: --symbols A,B  --agent ID  --ids A,B
                     --workflow ID  --name METRIC  --min-severity info|warning|critical  --type T
                     --tags A,B --min-importance 0..1 (memory)
                     --symbol S --interval 1s|1m|5m|1h (candles)  --limit N (snapshot size of log streams)  --max-hz N (state streams)
                     --count N (exit 0 after N lines)  --transport ws|sse|sse-mux (default ws)
  trade              --symbol S --side buy|sell --qty N [--price P] [--agent ID]
  tick               --symbol S (--price P | --nudge PCT, e.g. --nudge -0.01)
  decide             --agent ID --symbol S --action buy|sell|hold --confidence 0..1 [--qty N] [--reasoning TEXT]
  sim                [--start | --stop] [--tps N] [--symbols A,B] [--seed N]
  call <path> [json] one query or mutation with a JSON input, e.g. call system.stats,
                     call alerts.dismiss '{"id":"a1"}'

options (every command):
  --url URL          the desk (default: $DESK_URL, else http://127.0.0.1:3000)
  --token TOKEN      bearer token sent with every call (default: $DESK_TOKEN)
  --timeout T        give up after T (e.g. 500ms, 10s, 2m; a bare number is seconds);
                     default ${DEFAULT_TIMEOUT_MS / 1000}s, none for watch
  -h, --help         this text

Negative numbers may follow their option (--qty -5) or be joined to it (--qty=-5).
exit codes: 0 done, 1 the desk refused or could not be reached, 2 bad command line`;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Joins `--opt -5` into `--opt=-5` for options that take a value, so `parseArgs` (which reads a
 * value starting with `-` as a forgotten argument) accepts negative numbers.
 */
export function joinNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && name in OPTIONS && OPTIONS[name as OptionName].type === 'string' && next !== undefined && next.startsWith('-') && NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Parses `500ms`, `10s`, `2m` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+\.?\d*|\.\d+)(ms|s|m)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1000) : NaN;
  if (!(ms > 0) || !Number.isFinite(ms)) throw new UsageError(`--timeout: expected a duration such as 500ms, 10s or 2m, got "${text}"`);
  return Math.ceil(ms);
}

function number(option: string, text: string | undefined, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!NUMBER.test(text.trim()) || !Number.isFinite(value)) throw new UsageError(`--${option}: expected a number, got "${text}"`);
  if (integer && !Number.isInteger(value)) throw new UsageError(`--${option}: expected a whole number, got "${text}"`);
  return value;
}

function count(text: string | undefined): number | undefined {
  const value = number('count', text, true);
  if (value !== undefined && value < 1) throw new UsageError(`--count: expected 1 or more, got "${text}"`);
  return value;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

/** Drops the keys whose value is undefined, so the server's defaults apply. */
function defined(input: Input): Input {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

function required<T>(option: string, value: T | undefined, command: string): T {
  if (value === undefined) throw new UsageError(`${command}: --${option} is required`);
  return value;
}

function oneOf<T extends string>(option: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined || (choices as readonly string[]).includes(value)) return value as T | undefined;
  throw new UsageError(`--${option}: expected ${choices.join(' or ')}, got "${value}"`);
}

/** The one-line message of `parseArgs`'s own errors, which run to three lines. */
function parseArgsMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option ?? message}; see --help`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('argument missing') || message.includes('ambiguous')) return `${option ?? 'an option'} needs a value`;
    return `${option ?? 'an option'} takes no value`;
  }
  return message.split('\n')[0]!;
}

/**
 * Reads the CLI's command line: the command, its options checked against what that command takes,
 * and the options every command takes. Throws `UsageError` with one line for anything it refuses.
 */
export function parseCli(argv: readonly string[], env: Record<string, string | undefined> = {}): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error));
  }
  const { values: flags, positionals } = parsed;
  const [name, ...rest] = positionals;
  const url = flags.url ?? env.DESK_URL ?? 'http://127.0.0.1:3000';
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url: expected an http:// or https:// URL, got "${url}"`);
  const base = { url, token: flags.token ?? (env.DESK_TOKEN || undefined) };
  if (flags.help || name === 'help') return { ...base, command: { name: 'help' }, transport: 'ws', timeoutMs: undefined };
  if (name === undefined) throw new UsageError('no command given; see --help');
  const allowed = ALLOWED[name];
  if (!allowed) throw new UsageError(`unknown command "${name}"; one of ${Object.keys(ALLOWED).join(', ')}`);
  for (const option of Object.keys(flags) as OptionName[]) {
    if (!COMMON.includes(option) && !allowed.includes(option)) throw new UsageError(`${name} does not take --${option}; see --help`);
  }
  const maxPositionals = name === 'watch' ? 1 : name === 'call' ? 2 : 0;
  if (rest.length > maxPositionals) throw new UsageError(`${name}: unexpected argument "${rest[maxPositionals]}"`);
  const transport = oneOf('transport', flags.transport, ['ws', 'sse', 'sse-mux'] as const) ?? 'ws';
  const timeoutMs = flags.timeout !== undefined ? parseDuration(flags.timeout) : name === 'watch' ? undefined : DEFAULT_TIMEOUT_MS;
  const command = (): CliCommand => {
    switch (name) {
      case 'watch': {
        const streamName = rest[0];
        if (streamName === undefined) throw new UsageError(`watch: which stream? one of ${Object.keys(STREAMS).join(', ')}`);
        if (!(streamName in STREAMS)) throw new UsageError(`watch: unknown stream "${streamName}"; one of ${Object.keys(STREAMS).join(', ')}`);
        const { path, input: schema } = STREAMS[streamName as StreamName];
        const given = {
          symbols: list(flags.symbols),
          agentId: flags.agent,
          ids: list(flags.ids),
          workflowId: flags.workflow,
          name: flags.name,
          minSeverity: oneOf('min-severity', flags['min-severity'], ['info', 'warning', 'critical'] as const),
          tags: list(flags.tags),
          minImportance: number('min-importance', flags['min-importance']),
          type: flags.type,
          limit: number('limit', flags.limit, true),
          maxHz: number('max-hz', flags['max-hz']),
          symbol: flags.symbol,
          interval: flags.interval,
        };
        const takes = Object.keys(('unwrap' in schema ? schema.unwrap() : schema).shape);
        for (const [key, value] of Object.entries(given)) {
          if (value !== undefined && !takes.includes(key)) {
            const option = Object.entries(FILTER_OPTIONS).find(([, k]) => k === key)![0];
            const its = Object.entries(FILTER_OPTIONS).filter(([, k]) => takes.includes(k)).map(([o]) => `--${o}`);
            throw new UsageError(`watch ${streamName} does not take --${option}; it takes ${its.join(', ')}`);
          }
        }
        const input = defined(given);
        return { name, stream: streamName as StreamName, path, input, count: count(flags.count) };
      }
      case 'trade':
        return {
          name,
          path: 'market.executeTrade',
          input: defined({
            symbol: required('symbol', flags.symbol, name),
            side: required('side', oneOf('side', flags.side, ['buy', 'sell'] as const), name),
            qty: required('qty', number('qty', flags.qty), name),
            price: number('price', flags.price),
            agentId: flags.agent,
          }),
        };
      case 'tick':
        if ((flags.price === undefined) === (flags.nudge === undefined)) throw new UsageError('tick: give exactly one of --price and --nudge');
        return {
          name,
          path: 'market.setPrice',
          input: defined({ symbol: required('symbol', flags.symbol, name), price: number('price', flags.price), nudgePct: number('nudge', flags.nudge) }),
        };
      case 'decide':
        return {
          name,
          path: 'agents.recordDecision',
          input: defined({
            agentId: required('agent', flags.agent, name),
            symbol: required('symbol', flags.symbol, name),
            action: required('action', oneOf('action', flags.action, ['buy', 'sell', 'hold'] as const), name),
            confidence: required('confidence', number('confidence', flags.confidence), name),
            reasoning: flags.reasoning,
            executeQty: number('qty', flags.qty),
          }),
        };
      case 'sim':
        if (flags.start && flags.stop) throw new UsageError('sim: --start and --stop exclude each other');
        return {
          name,
          path: 'system.controlSimulator',
          input: defined({
            running: flags.start ? true : flags.stop ? false : undefined,
            ticksPerSecond: number('tps', flags.tps),
            symbols: list(flags.symbols),
            seed: number('seed', flags.seed, true),
          }),
        };
      default: {
        const path = rest[0];
        if (path === undefined) throw new UsageError(`call: which procedure? e.g. call system.stats`);
        const kind = procedureKind(path);
        if (!kind) {
          const hint = Object.values(STREAMS).some((s) => s.path === path) ? '; subscriptions are followed with watch' : `; one of ${CALLABLE_PATHS.join(', ')}`;
          throw new UsageError(`call: unknown procedure "${path}"${hint}`);
        }
        let input: unknown;
        if (rest[1] !== undefined) {
          try {
            input = JSON.parse(rest[1]);
          } catch (error) {
            throw new UsageError(`call: the input is not JSON (${(error as Error).message})`);
          }
        }
        return { name: 'call', path, kind, input };
      }
    }
  };
  return { ...base, command: command(), transport, timeoutMs };
}
