import { parseArgs } from 'node:util';
import { createDeskClient } from './node';
import type { PriceTick } from './schema/market';
import type { StreamMessage } from './schema/stream';

const STREAMS = {
  prices: 'market.onPrices',
  portfolio: 'market.onPortfolio',
  positions: 'market.onPositions',
  trades: 'market.onTrades',
  decisions: 'agents.onDecisions',
  agents: 'agents.onAgents',
  tasks: 'agents.onTasks',
  workflows: 'agents.onWorkflows',
  rules: 'alerts.onRules',
  alerts: 'alerts.onAlerts',
  signals: 'feeds.onSignals',
  notifications: 'feeds.onNotifications',
  'system-alerts': 'feeds.onSystemAlerts',
  custom: 'feeds.onCustom',
  metrics: 'feeds.onMetrics',
  health: 'system.onHealth',
  stats: 'system.onStats',
} as const;

const USAGE = `usage: npm run desk -- <command> [options]

  watch <stream>   print live updates, one line each (${Object.keys(STREAMS).join(', ')})
                   --symbols A,B  --agent ID  --min-severity info|warning|critical  --type T
                   --limit N  --max-hz N  --count N (exit after N updates)
  trade            --symbol S --side buy|sell --qty N [--price P] [--agent ID]
  tick             --symbol S (--price P | --nudge 0.01)
  decide           --agent ID --symbol S --action buy|sell|hold --confidence 0..1 [--qty N] [--reasoning TEXT]
  sim              [--start | --stop] [--tps N] [--symbols A,B] [--seed N]
  call <path> [json]   any query or mutation, e.g. call system.stats

  --url URL        the desk (default: $DESK_URL, else http://127.0.0.1:3000)
  --transport ws|sse`;

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.DESK_URL ?? 'http://127.0.0.1:3000' },
    token: { type: 'string', default: process.env.DESK_TOKEN },
    transport: { type: 'string', default: 'ws' },
    symbols: { type: 'string' },
    symbol: { type: 'string' },
    agent: { type: 'string' },
    'min-severity': { type: 'string' },
    type: { type: 'string' },
    limit: { type: 'string' },
    'max-hz': { type: 'string' },
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
  },
});

const num = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);
const [command, ...rest] = positionals;

if (flags.help || !command) {
  console.log(USAGE);
  process.exit(command || flags.help ? 0 : 1);
}

const desk = createDeskClient({ url: flags.url, token: flags.token, transport: flags.transport === 'sse' ? 'sse' : 'ws' });
const procedures = desk.api as unknown as Record<string, Record<string, Record<string, (...args: unknown[]) => unknown>>>;

function procedure(path: string) {
  const [router, name] = path.split('.');
  const found = router && name ? procedures[router]?.[name] : undefined;
  if (!found) throw new Error(`unknown procedure ${path}`);
  return found;
}

async function run(): Promise<void> {
  switch (command) {
    case 'watch':
      return watch(rest[0]);
    case 'trade':
      return print(await desk.api.market.executeTrade.mutate({ symbol: flags.symbol!, side: flags.side as 'buy', qty: num(flags.qty)!, price: num(flags.price), agentId: flags.agent }));
    case 'tick':
      return print(await desk.api.market.setPrice.mutate({ symbol: flags.symbol!, price: num(flags.price), nudgePct: num(flags.nudge) }));
    case 'decide':
      return print(
        await desk.api.agents.recordDecision.mutate({
          agentId: flags.agent!,
          symbol: flags.symbol!,
          action: flags.action as 'buy',
          confidence: num(flags.confidence)!,
          reasoning: flags.reasoning,
          executeQty: num(flags.qty),
        }),
      );
    case 'sim':
      return print(
        await desk.api.system.controlSimulator.mutate({
          running: flags.start ? true : flags.stop ? false : undefined,
          ticksPerSecond: num(flags.tps),
          symbols: list(flags.symbols),
          seed: num(flags.seed),
        }),
      );
    case 'call': {
      const path = rest[0] ?? '';
      const fn = procedure(path);
      const input = rest[1] === undefined ? undefined : JSON.parse(rest[1]);
      return print(await ('mutate' in fn ? fn.mutate!(input) : fn.query!(input)));
    }
    default:
      throw new Error(`unknown command ${command}\n\n${USAGE}`);
  }
}

function watch(stream: string | undefined): Promise<void> {
  const path = STREAMS[stream as keyof typeof STREAMS];
  if (!path) throw new Error(`unknown stream ${stream ?? ''}; one of ${Object.keys(STREAMS).join(', ')}`);
  const input = {
    symbols: list(flags.symbols),
    agentId: flags.agent,
    minSeverity: flags['min-severity'],
    type: flags.type,
    limit: num(flags.limit),
    maxHz: num(flags['max-hz']),
  };
  const accepted = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const max = num(flags.count) ?? Infinity;
  let printed = 0;
  return new Promise((resolve, reject) => {
    const sub = procedure(path).subscribe!(accepted, {
      // Derived streams (health, stats) send bare messages without an event id.
      onData(received: { id: string; data: StreamMessage<unknown> } | StreamMessage<unknown>) {
        const [id, data] = 'type' in received ? [null, received] : [received.id, received.data];
        for (const line of describe(stream!, data)) {
          console.log(id === null ? line : `${line}  #${id}`);
          if (++printed >= max) {
            (sub as { unsubscribe(): void }).unsubscribe();
            resolve();
            return;
          }
        }
      },
      onError: reject,
    });
  });
}

function describe(stream: string, message: StreamMessage<unknown>): string[] {
  const items = message.type === 'changes' ? message.upserts : message.items;
  const lines = items.map((item) => (stream === 'prices' ? priceLine(item as PriceTick) : `${stream} ${JSON.stringify(item)}`));
  if (message.type === 'changes') for (const key of message.removes) lines.push(`${stream} removed ${key}`);
  if (message.type === 'snapshot' && message.resync) lines.unshift(`${stream} resync: fresh snapshot follows`);
  return lines;
}

function priceLine(t: PriceTick): string {
  const sign = t.changePct >= 0 ? '+' : '';
  return `${t.symbol} ${t.price.toFixed(2)} (${sign}${t.changePct.toFixed(2)}%) bid ${t.bid.toFixed(2)} ask ${t.ask.toFixed(2)} vol ${t.volume}`;
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

run().then(
  () => {
    desk.close();
    process.exit(0);
  },
  (error: unknown) => {
    const data = (error as { data?: { zodError?: { fieldErrors?: unknown } } }).data;
    console.error(`error: ${(error as Error).message}`);
    if (data?.zodError?.fieldErrors) console.error(JSON.stringify(data.zodError.fieldErrors));
    desk.close();
    process.exit(1);
  },
);
