/**
 * Soak: a real desk process on a temp database, writers through the real client, random `kill -9`
 * and restarts on the same file, subscribers that resume by themselves and others that come back
 * from an id they saved. At the end it checks that nothing acknowledged was lost, duplicated or
 * reordered, that every event id names one content, and that the state holds the last
 * acknowledged value of every row. 127.0.0.1 only; bounded in time and in kills.
 *
 *   npm run soak -- --minutes 3 --writers 3 --subscribers 4 --max-kills 200 --retain 0
 *
 * Prints a summary and exits 1 on any violation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import type { Agent, DeskCustomEvent, StreamMessage } from '../../shared/index';
import { applyStreamMessage } from '../../shared/stream/apply';
import { createDeskClient, type DeskClient } from '../../shared/node';
import { exited, freePort, spawnServer, TEST_TOKEN } from './process';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    writers: { type: 'string', default: '3' },
    subscribers: { type: 'string', default: '4' },
    'max-kills': { type: 'string', default: '200' },
    /** DESK_RETAIN_EVENTS of the desk (0: keep everything, so no resume may resync). */
    retain: { type: 'string', default: '0' },
  },
});
const minutes = Number(args.minutes);
const writerCount = Number(args.writers);
const subscriberCount = Number(args.subscribers);
const maxKills = Number(args['max-kills']);
const retain = Number(args.retain);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const eventIdOf = (itemId: string) => parseInt(itemId.slice(itemId.indexOf('-') + 1).split('.')[0]!, 36);

interface Written {
  writer: number;
  n: number;
}

const problems: string[] = [];
const problem = (message: string) => {
  if (problems.length < 50) problems.push(message);
};

/** Every item id seen anywhere, with its content: one id, one content. */
const contentOf = new Map<string, string>();
function seen(item: DeskCustomEvent, where: string): void {
  const content = JSON.stringify(item.data);
  const before = contentOf.get(item.id);
  if (before === undefined) contentOf.set(item.id, content);
  else if (before !== content) problem(`${where}: item ${item.id} arrived as ${content}, earlier as ${before}`);
}

/** A subscriber's received events, checked as they arrive (order, duplicates, ids). */
class Watcher {
  readonly items: Written[] = [];
  private readonly ids = new Set<string>();
  private lastEventId = 0;
  lastTracked: string | null = null;
  resyncs = 0;
  messages = 0;
  private subscription: { unsubscribe(): void } | null = null;

  constructor(
    readonly name: string,
    private readonly client: DeskClient,
  ) {}

  start(from: string | null): void {
    const input = { type: 'soak', limit: 0, ...(from === null ? {} : { lastEventId: from }) };
    this.subscription = this.client.api.feeds.onCustom.subscribe(input, {
      onData: ({ id, data }: { id: string; data: StreamMessage<DeskCustomEvent> }) => this.receive(id, data),
      onError: (error: unknown) => problem(`${this.name}: subscription failed: ${String(error)}`),
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  private receive(id: string, data: StreamMessage<DeskCustomEvent>): void {
    this.messages++;
    this.lastTracked = id;
    if (data.type === 'snapshot') {
      if (data.resync) {
        this.resyncs++;
        if (retain === 0) problem(`${this.name}: a resync at ${id} although the desk keeps every event`);
      }
      return;
    }
    if (data.type !== 'append') return problem(`${this.name}: a log stream sent ${data.type}`);
    for (const item of data.items) {
      seen(item, this.name);
      if (this.ids.has(item.id)) problem(`${this.name}: ${item.id} delivered twice`);
      this.ids.add(item.id);
      const eventId = eventIdOf(item.id);
      if (eventId <= this.lastEventId) problem(`${this.name}: ${item.id} (event ${eventId}) after event ${this.lastEventId}`);
      if (eventId > Number(id)) problem(`${this.name}: ${item.id} (event ${eventId}) came in a message under the older id ${id}`);
      this.lastEventId = eventId;
      this.items.push(item.data as unknown as Written);
    }
  }
}

/** A subscriber of a keyed topic (the writers' agent rows): its view, kept as every client keeps one. */
class RowWatcher {
  view: Agent[] = [];
  resyncs = 0;
  messages = 0;

  constructor(client: DeskClient) {
    client.api.agents.onAgents.subscribe(undefined, {
      onData: ({ data }: { id: string; data: StreamMessage<Agent> }) => {
        this.messages++;
        if (data.type === 'snapshot' && data.resync) this.resyncs++;
        this.view = applyStreamMessage(this.view, data, { keyOf: (a) => a.id });
      },
      onError: (error: unknown) => problem(`agent rows: subscription failed: ${String(error)}`),
    });
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    DESK_DB: join(dir, 'desk.db'),
    DESK_RETAIN_EVENTS: String(retain),
    DESK_RETAIN_HOURS: '0',
    DESK_MUTATIONS_PER_SEC: '100000',
    DESK_MUTATION_BURST: '100000',
  };
  let server: ChildProcess | null = null;
  const clients: DeskClient[] = [];
  const client = () => {
    const c = createDeskClient({ url, token: TEST_TOKEN, retryDelayMs: () => 100 });
    clients.push(c);
    return c;
  };
  const deadline = Date.now() + minutes * 60_000;
  const acked: Written[][] = Array.from({ length: writerCount }, () => []);
  const attempted = Array.from({ length: writerCount }, () => 0);
  const statusAcked = Array.from({ length: writerCount }, () => -1);
  let statusWrites = 0;
  let failedCalls = 0;
  let kills = 0;
  let restarts = 0;
  let running = true;

  try {
    server = await spawnServer(port, env);
    const watchers = Array.from({ length: subscriberCount }, (_, i) => new Watcher(`subscriber ${i}`, client()));
    for (const watcher of watchers) watcher.start(null);
    const rows = new RowWatcher(client());
    // Writing starts once every subscriber has its snapshot, so each must see every write.
    while (watchers.some((w) => w.messages === 0) || rows.messages === 0) await sleep(20);

    const writers = acked.map(async (log, writer) => {
      const api = client().api;
      for (let n = 0; running; n++) {
        attempted[writer] = n + 1;
        try {
          await api.feeds.broadcastCustom.mutate({ type: 'soak', data: { writer, n } });
          log.push({ writer, n });
          await api.agents.setStatus.mutate({ id: `soak-${writer}`, status: 'busy', connections: n });
          statusAcked[writer] = n;
          statusWrites++;
        } catch {
          // Not acknowledged (the desk died under it and the retries ran out): it may or may not be there.
          failedCalls++;
          await sleep(50);
        }
      }
    });

    // Some subscribers leave now and then and come back from the last id they saved.
    const rejoin = (async () => {
      while (running) {
        await sleep(1000 + Math.random() * 3000);
        const watcher = watchers[Math.floor(Math.random() * watchers.length)]!;
        if (watcher.lastTracked === null) continue;
        watcher.stop();
        await sleep(Math.random() * 1000);
        watcher.start(watcher.lastTracked);
      }
    })();

    while (Date.now() < deadline && kills < maxKills) {
      await sleep(500 + Math.random() * 3000);
      server.kill('SIGKILL');
      await exited(server);
      kills++;
      await sleep(Math.random() * 500);
      server = await spawnServer(port, env);
      restarts++;
    }
    running = false;
    await writers;
    await rejoin;

    // Everything acknowledged must reach every subscriber (the last ones may still be on the way).
    const total = acked.reduce((sum, log) => sum + log.length, 0);
    const ackedKeys = acked.flat().map((w) => `${w.writer}:${w.n}`);
    const missingFrom = (watcher: Watcher) => {
      const got = new Set(watcher.items.map((w) => `${w.writer}:${w.n}`));
      return ackedKeys.filter((k) => !got.has(k));
    };
    const catchUp = Date.now() + 30_000;
    while (Date.now() < catchUp && watchers.some((w) => missingFrom(w).length > 0)) await sleep(200);

    for (const watcher of watchers) {
      const missing = missingFrom(watcher);
      if (missing.length > 0) problem(`${watcher.name}: ${missing.length} acknowledged events never arrived (e.g. ${missing.slice(0, 3).join(', ')})`);
      const last = new Map<number, number>();
      for (const { writer, n } of watcher.items) {
        if (n <= (last.get(writer) ?? -1)) problem(`${watcher.name}: writer ${writer}'s ${n} after its ${last.get(writer)}`);
        last.set(writer, n);
      }
    }

    // The state after the last restart: each writer's agent shows its last acknowledged write, or a
    // later one whose answer was lost.
    const agents = await client().api.agents.agents.query();
    for (let writer = 0; writer < writerCount; writer++) {
      const value = agents.find((a) => a.id === `soak-${writer}`)?.connections ?? -1;
      if (value < statusAcked[writer]! || value >= attempted[writer]!) {
        problem(`agent soak-${writer}: connections ${value}, but the last acknowledged write was ${statusAcked[writer]} (attempted up to ${attempted[writer]! - 1})`);
      }
    }
    // The keyed subscriber, resumed across every kill, holds exactly the desk's rows.
    const byId = (list: Agent[]) => JSON.stringify([...list].sort((a, b) => (a.id < b.id ? -1 : 1)));
    const rowsCatchUp = Date.now() + 10_000;
    while (Date.now() < rowsCatchUp && byId(rows.view) !== byId(agents)) await sleep(100);
    if (byId(rows.view) !== byId(agents)) problem(`agent rows: the subscriber's view ${byId(rows.view)} is not the desk's ${byId(agents)}`);
    if (retain === 0 && rows.resyncs > 0) problem(`agent rows: ${rows.resyncs} resyncs although the desk keeps every event`);

    const summary = {
      minutes,
      kills,
      restarts,
      acknowledged: total,
      statusWritesAcknowledged: statusWrites,
      unacknowledged: failedCalls,
      subscribers: watchers.map((w) => ({ received: w.items.length, messages: w.messages, resyncs: w.resyncs })),
      rowSubscriber: { messages: rows.messages, resyncs: rows.resyncs, rows: rows.view.length },
      distinctItemIds: contentOf.size,
      problems: problems.length,
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(
      problems.length === 0
        ? `soak passed: ${kills} kill -9 cycles, ${total} acknowledged broadcasts, each received once and in order by all ${watchers.length} resuming subscribers; every id one content; every agent row at its last acknowledged write, and the resumed agents view equal to the desk's`
        : `soak FAILED:\n${problems.join('\n')}`,
    );
    for (const watcher of watchers) watcher.stop();
  } finally {
    running = false;
    for (const c of clients) c.close();
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(problems.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
