import type { LogTopic } from '../../hub/log-topic';
import type { StateTopic } from '../../hub/state-topic';
import { canonical, isLogTopic, LOG_TOPICS, STATE_TOPICS, SYMBOLS, TOPICS, type LogTopicName, type TopicName } from './catalog';
import { firstDifference, ModelClient, type Start } from './client';
import { toMutation, topicsTouched, type Cmd, type MutationCmd, type Settings } from './commands';
import type { StreamMessage } from '../../../shared/schema/stream';
import type { DeskTarget } from './target';
import { expectedEffect } from './predict';
import { emptyState, Reference, violation, type Row, type State } from './reference';
import { barsOf, candleIntervals } from './candles';
import { REPLAYED_KEYED } from '../../replay/desk-state';

const everything = () => true;
/** A TRPCError's code, in process or as the client received it. */
const codeOf = (error: unknown) => {
  const e = error as { code?: string; data?: { code?: string } };
  return e.data?.code ?? e.code;
};
const LATEST_TOPICS: ReadonlySet<TopicName> = new Set(['prices', 'portfolio']);

/** What the runs got into and where their time went, summed (printed with FC_STATS=1 to tune the generators). */
export const coverage: Record<string, number> = {};
const add = (what: string, n: number) => (coverage[what] = Math.round((coverage[what] ?? 0) + n));
const count = (what: string) => add(what, 1);

/** Runs one command sequence against a desk and checks every invariant after every step. */
export class ModelRun {
  readonly model = new Reference();
  private readonly clients: Array<{ client: ModelClient | null; stop: () => void }> = [];
  private diskFull = false;
  private step = 0;
  /** Health readings received (through the real client only: in process nothing publishes them). */
  private readonly readings: unknown[] = [];
  /** State clients that asked for deltas (every other one): their views must come out the same. */
  private readonly withDeltas = new WeakSet<ModelClient>();

  constructor(
    private readonly target: DeskTarget,
    private readonly settings: Settings,
  ) {}

  async start(): Promise<void> {
    await this.target.start();
    this.model.started(this.target.desk.hub.lastId, this.readState());
    this.model.latestWritten = this.startedQuietly();
    if (this.target.resumesItself) {
      const stop = this.target.subscribe('system.onHealth', {}, (m) => this.readings.push(m), (e) => this.readings.push({ error: e }));
      this.clients.push({ client: null, stop });
    }
  }

  /**
   * Derived readings (health) are not events: they carry no event id (an id must name one
   * content, and a reading changes without a commit), and the `lastEventId` a reading reports is
   * an id the desk really issued, so a client can resume from it.
   */
  private checkReadings(at: string): void {
    for (const reading of this.readings.splice(0)) {
      const r = reading as { id?: unknown; data?: unknown; error?: unknown } & Partial<StreamMessage<Row>>;
      if (r.error !== undefined) violation(`${at}: system.onHealth failed: ${String(r.error)}`);
      if (r.data !== undefined && r.id !== undefined) violation(`${at}: a health reading arrived under event id ${String(r.id)}`);
      const rows = r.type === 'snapshot' ? r.items : r.type === 'changes' ? r.upserts : undefined;
      if (!rows) violation(`${at}: a health message that is neither a snapshot nor changes: ${canonical(reading)}`);
      for (const row of rows) {
        if (typeof row.lastEventId !== 'string' || !this.model.knows(Number(row.lastEventId))) {
          violation(`${at}: a health reading names lastEventId ${JSON.stringify(row.lastEventId)}, which the desk never issued`);
        }
      }
    }
  }


  /** True when the desk committed nothing while starting (a fresh one commits its first portfolio). */
  private startedQuietly(): boolean {
    return this.desk.hub.lastId === this.desk.journal!.firstId;
  }

  async run(cmds: readonly Cmd[]): Promise<void> {
    await this.start();
    try {
      for (const cmd of cmds) {
        this.step++;
        const t0 = performance.now();
        await this.apply(cmd);
        const t1 = performance.now();
        await this.target.settle();
        const t2 = performance.now();
        this.followPruning(`after step ${this.step} (${cmd.k})`);
        for (const { client } of this.clients) client?.check(this.model);
        this.checkReadings(`after step ${this.step} (${cmd.k})`);
        this.expectServerMatchesModel(`after step ${this.step} (${cmd.k})`);
        this.expectCandles(`after step ${this.step} (${cmd.k})`);
        const t3 = performance.now();
        add(`ms ${cmd.k}`, t1 - t0);
        add('ms settle', t2 - t1);
        add('ms check', t3 - t2);
      }
    } finally {
      for (const { client } of this.clients) {
        add('resync snapshots', client?.resyncs ?? 0);
        add('exact resumes', client?.exactResumes ?? 0);
      }
      for (const { stop } of this.clients) stop();
      await this.target.stop(false).catch(() => {});
      this.target.close();
    }
  }

  private get desk() {
    return this.target.desk;
  }

  private async apply(cmd: Cmd): Promise<void> {
    switch (cmd.k) {
      case 'subscribe': return this.subscribe(cmd);
      case 'subscribeAll':
        for (const topic of [...STATE_TOPICS, ...LOG_TOPICS]) this.subscribe({ ...cmd, k: 'subscribe', topic });
        return;
      case 'unsubscribe': {
        const entry = this.clients.splice(cmd.pick % Math.max(1, this.clients.length), 1)[0];
        entry?.stop();
        return;
      }
      case 'restart': {
        // The id to come back from is picked before the restart adds its own.
        const back = cmd.rejoin === undefined ? undefined : this.model.ids.length - 1 - (cmd.rejoin % this.model.ids.length);
        await this.restart(cmd.crash);
        if (back !== undefined) {
          for (const topic of [...STATE_TOPICS, ...LOG_TOPICS]) this.subscribeFrom(topic, 0, 3, this.model.ids[back]!);
        }
        return;
      }
      case 'prune': return this.prune();
      case 'asOf': return this.checkAsOf(cmd.pick);
      case 'checkpoint':
        try {
          this.desk.replay!.checkpointer.write();
        } catch (error) {
          if (!this.diskFull) violation(`step ${this.step}: writing a checkpoint failed: ${String(error)}`);
        }
        return;
      case 'disk':
        this.diskFull = cmd.state !== 'ok';
        this.target.fillDisk(cmd.state);
        return;
      case 'metricsBurst':
        for (let i = 0; i < cmd.requests; i++) await this.mutate({ k: 'metrics', name: i % 2 ? 'm_b' : 'm_a', count: 1000 });
        return;
      default: return this.mutate(cmd);
    }
  }

  /** Reads every durable state topic of the desk. */
  private readState(): State {
    const state = emptyState();
    for (const name of STATE_TOPICS) {
      const topic = this.desk.topics[name] as unknown as StateTopic<Row>;
      for (const row of topic.values()) state[name].set(topic.keyOf(row), row);
    }
    return state;
  }

  private logAfter(name: LogTopicName, id: number): Row[] | null {
    return (this.desk.topics[name] as unknown as LogTopic<Row>).after(id, everything);
  }

  private changedTopics(state: State, since: number): Set<TopicName> {
    const changed = new Set<TopicName>();
    for (const name of STATE_TOPICS) if (canonical([...state[name]].sort()) !== canonical([...this.model.current[name]].sort())) changed.add(name);
    for (const name of LOG_TOPICS) if ((this.logAfter(name, since) ?? [1]).length > 0) changed.add(name);
    return changed;
  }

  private expectServerMatchesModel(when: string): void {
    if (this.desk.hub.lastId !== this.model.lastId) violation(`${when}: the desk's last id ${this.desk.hub.lastId} is not the model's ${this.model.lastId}`);
    const state = this.readState();
    for (const name of STATE_TOPICS) {
      const got = canonical([...state[name]].sort());
      const want = canonical([...this.model.current[name]].sort());
      if (got !== want) violation(`${when}: ${name} on the desk differs from the model under the same id ${this.model.lastId}\n  desk:  ${got}\n  model: ${want}`);
    }
  }

  private async mutate(cmd: MutationCmd): Promise<void> {
    const before = this.model.lastId;
    const alertIds = [...this.model.current.alerts.keys()];
    const { path, input } = toMutation(cmd, alertIds);
    const at = `step ${this.step}: ${path} ${JSON.stringify(input)}`;
    const prior = cmd.key === undefined ? undefined : this.model.keys.get(cmd.key);
    const predicted = expectedEffect(cmd, this.model, this.settings);
    const expected = prior ? null : predicted;
    const t0 = Date.now();
    let result: any;
    let error: unknown = null;
    try {
      result = await this.target.mutate(path, input);
    } catch (e) {
      error = e;
    }
    const t1 = Date.now();
    const state = this.readState();
    const newId = this.desk.hub.lastId;
    const changed = this.changedTopics(state, before);
    const nothingChanged = (why: string) => {
      if (newId !== before) violation(`${at}: ${why}, yet the desk moved from id ${before} to ${newId}`);
      if (changed.size > 0) violation(`${at}: ${why}, yet ${[...changed].join(', ')} changed under id ${before}`);
    };

    if (!error) this.model.latestWritten = true;
    if (prior && predicted.invalidInput) {
      // tRPC parses the input before the mutation runs, so a malformed input is BAD_REQUEST whatever its key.
      count('refused as expected');
      if (codeOf(error) !== 'BAD_REQUEST') violation(`${at}: a malformed input with the used key ${cmd.key} must be BAD_REQUEST, got ${String(error ?? 'an answer')}`);
      nothingChanged('a malformed input was refused');
      return;
    }
    if (prior) {
      count('idempotent retry or conflict');
      if (prior.path === path) {
        if (error) violation(`${at}: a retry with key ${cmd.key} failed (${String(error)}) instead of returning the first answer`);
        if (canonical(result) !== canonical(prior.result)) violation(`${at}: a retry with key ${cmd.key} answered ${canonical(result)}, not the first answer ${canonical(prior.result)}`);
        nothingChanged(`a retry with key ${cmd.key} must apply nothing`);
      } else {
        if (!error || codeOf(error) !== 'CONFLICT') violation(`${at}: key ${cmd.key} of ${prior.path} reused for ${path} must be a CONFLICT`);
        nothingChanged('a key reused for another mutation was refused');
      }
      return;
    }
    if (error) {
      count(this.diskFull && !expected?.fails ? 'failed on a full disk' : 'refused as expected');
      if (!this.diskFull && !expected?.fails) violation(`${at}: failed unexpectedly: ${String(error)}`);
      nothingChanged(`the mutation failed (${(error as Error).message})`);
      return;
    }
    if (expected?.fails) violation(`${at}: should have failed (${expected.fails}) but answered ${canonical(result)}`);
    if (cmd.key !== undefined) this.model.keys.set(cmd.key, { path, result });
    if (result.eventId === null) {
      if (expected?.commits) violation(`${at}: answered eventId null, but it must commit`);
      nothingChanged('the mutation answered eventId null');
      return;
    }
    count('committed');
    if (String(newId) !== result.eventId) violation(`${at}: answered eventId ${result.eventId} but the desk's last id is ${newId}`);
    if (newId <= before) violation(`${at}: the new id ${newId} is not above every earlier one (${before})`);
    const allowed = topicsTouched(cmd);
    for (const name of changed) if (!allowed.has(name)) violation(`${at}: changed ${name}, which it must not touch`);
    const appended: Partial<Record<LogTopicName, Row[]>> = {};
    for (const name of LOG_TOPICS) {
      const items = this.logAfter(name, before);
      if (items === null) violation(`${at}: the commit's ${name} events are not retained right after it`);
      if (items.length > 0) appended[name] = items;
    }
    if (cmd.k === 'metrics') this.expectMetricsBatch(at, newId, input.samples as Row[], appended.metrics ?? []);
    expected?.check({ at, id: newId, result, state, appended, t0, t1 });
    this.model.commit(newId, state, appended);
  }

  /**
   * Every bar of every symbol and interval the desk serves (`market.candles`: the open bar and the
   * closed ones it wrote) is a recomputation from the ticks the model saw it apply, restarts included.
   */
  private expectCandles(at: string): void {
    const ticks = this.model.ticks;
    // Reading bars writes the newest first, which a full disk refuses.
    if (!ticks || this.diskFull) return;
    for (const symbol of SYMBOLS) {
      for (const interval of candleIntervals) {
        const want = barsOf(symbol, ticks.get(symbol) ?? [], interval);
        const got = this.desk.candles({ symbol, interval, limit: 5000 }).candles;
        const difference = firstDifference(got as unknown as Row[], want as unknown as Row[], 0);
        if (difference) violation(`${at}: ${symbol} ${interval} bars are not a recomputation from the ticks applied: ${difference}`);
        if (want.length > 0) count('candles checked');
      }
    }
  }

  /**
   * The desk as of an id the model saw, rebuilt from checkpoints and the journal: every keyed topic,
   * the portfolio and the last 50 events of every log (those still retained) are the model's as of
   * that id; an id before the oldest moment it can rebuild is refused with NOT_FOUND.
   */
  private checkAsOf(pick: number): void {
    const ids = this.model.ids;
    const id = ids[ids.length - 1 - (pick % ids.length)]!;
    const at = `step ${this.step}: replay.asOf(${id})`;
    const { rebuilder } = this.desk.replay!;
    const oldest = rebuilder.window().from;
    const rebuildable = oldest !== null && id >= Number(oldest.eventId);
    let got: ReturnType<typeof rebuilder.asOf>;
    try {
      got = rebuilder.asOf(String(id), 50);
    } catch (error) {
      if (!rebuildable && codeOf(error) === 'NOT_FOUND') {
        count('asOf refused as too old');
        return;
      }
      violation(`${at}: failed (the oldest moment it can rebuild is ${oldest?.eventId ?? 'none'}): ${String(error)}`);
    }
    if (got.eventId !== String(id)) violation(`${at}: answered as of ${got.eventId}`);
    count('asOf rebuilt');
    const sorted = (rows: readonly unknown[], keyOf: (row: Row) => string) => canonical([...(rows as Row[])].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)));
    for (const name of REPLAYED_KEYED) {
      if (!(STATE_TOPICS as readonly string[]).includes(name)) continue;
      const topic = name as Exclude<typeof name, 'agentCommands'>;
      const want = this.model.viewAt(topic, id, everything)!;
      const keyOf = TOPICS[topic].keyOf;
      if (sorted(got.keyed[topic], keyOf) !== sorted(want, keyOf)) violation(`${at}: ${topic} rebuilt is not the model's as of then\n  rebuilt: ${sorted(got.keyed[topic], keyOf)}\n  model:   ${sorted(want, keyOf)}`);
    }
    const portfolio = this.model.viewAt('portfolio', id, everything)!;
    if (portfolio.length > 0 && canonical(got.portfolio) !== canonical(portfolio[0])) {
      violation(`${at}: the portfolio rebuilt is not the model's as of then\n  rebuilt: ${canonical(got.portfolio)}\n  model:   ${canonical(portfolio[0])}`);
    }
    for (const name of LOG_TOPICS) {
      // Retained: in the journal above its floor, or in memory above the replay buffer's.
      const floor = Math.min(this.desk.journal!.floor, (this.desk.topics[name] as unknown as LogTopic<Row>).buffer.floor);
      const want = this.model.logBetween(name, floor, id, everything).slice(-50);
      const difference = firstDifference(got.logs[name] as unknown as Row[], want, 0);
      if (difference) violation(`${at}: the last ${name} events rebuilt are not the model's up to then: ${difference}`);
    }
  }

  private expectMetricsBatch(at: string, id: number, samples: Row[], items: Row[]): void {
    const base = id.toString(36);
    const want = samples.map((s, i) => ({ id: `met-${base}${i === 0 ? '' : `.${i}`}`, ...s }));
    const difference = firstDifference(items, want, 0);
    if (difference) violation(`${at}: the metrics batch under ${id} is not the acknowledged samples: ${difference}`);
  }

  private subscribe(cmd: Extract<Cmd, { k: 'subscribe' }>): void {
    const ids = this.model.ids;
    if (cmd.from.at === 'none') return this.subscribeFrom(cmd.topic, cmd.filter, cmd.limit, null);
    if (cmd.from.at === 'seen') return this.subscribeFrom(cmd.topic, cmd.filter, cmd.limit, ids[ids.length - 1 - (cmd.from.pick % ids.length)]!);
    this.subscribeFrom(cmd.topic, cmd.filter, cmd.limit, cmd.from.at === 'zero' ? '0' : String(this.model.lastId + 1000));
  }

  /** A new client of `topic`: fresh (null), resuming from an id the desk issued, or from one it cannot answer (a string). */
  private subscribeFrom(topic: TopicName, filterPick: number, limit: number, from: number | string | null): void {
    const spec = TOPICS[topic];
    const filter = spec.filters[filterPick % spec.filters.length]!;
    const start: Start = from === null ? { kind: 'fresh' } : typeof from === 'number' ? { kind: 'resume', id: from } : { kind: 'unknown', id: from };
    const lastEventId = from === null ? null : String(from);
    const deltas = !isLogTopic(spec.name) && this.clients.length % 2 === 1;
    const label = `${spec.path}(${canonical(filter.input)}) #${this.clients.length} from ${lastEventId ?? 'none'}${deltas ? ' with deltas' : ''}`;
    const client = new ModelClient(label, spec, filter, limit, start, this.model);
    if (deltas) this.withDeltas.add(client);
    this.clients.push({ client, stop: this.open(client, lastEventId) });
  }

  private open(client: ModelClient, lastEventId: string | null): () => void {
    const input = {
      ...client.filter.input,
      ...(isLogTopic(client.spec.name) ? { limit: client.limit } : {}),
      ...(this.withDeltas.has(client) ? { deltas: true } : {}),
      ...(lastEventId === null ? {} : { lastEventId }),
    };
    const entry = { stop: () => {} };
    entry.stop = this.target.subscribe(client.spec.path, input, (m) => client.inbox.push(m), (e) => client.errors.push(e));
    return () => entry.stop();
  }

  private async restart(crash: boolean): Promise<void> {
    count(crash ? 'crash' : 'restart');
    const when = `step ${this.step}: restart${crash ? ' after a crash' : ''}`;
    for (const { client } of this.clients) client?.check(this.model);
    try {
      await this.target.stop(crash);
    } catch (error) {
      // A clean stop cannot write on a full disk: what was not yet written is lost as in a crash.
      if (!this.diskFull) violation(`${when}: stopping failed: ${String(error)}`);
      crash = true;
    }
    this.diskFull = false;
    for (const { client } of this.clients) client?.reconnecting();
    await this.target.start();
    const id = this.desk.hub.lastId;
    if (id <= this.model.lastId) violation(`${when}: the new run starts at id ${id}, not above the last issued ${this.model.lastId}`);
    const state = this.readState();
    for (const name of STATE_TOPICS) {
      if (crash && !this.model.latestWritten && LATEST_TOPICS.has(name)) {
        // Ticks nobody was told were written may be gone, and their bars with them.
        if (name === 'prices' && canonical([...state[name]].sort()) !== canonical([...this.model.current[name]].sort())) this.model.ticks = null;
        this.model.current[name] = state[name];
        continue;
      }
      const got = canonical([...state[name]].sort());
      const want = canonical([...this.model.current[name]].sort());
      if (got !== want) violation(`${when}: ${name} after the restart is not what was acknowledged before it\n  desk:  ${got}\n  model: ${want}`);
    }
    // Every acknowledged log event after the retention cut is still there.
    this.followPruning(when);
    const from = this.model.exactFrom;
    for (const name of LOG_TOPICS) {
      const got = this.logAfter(name, from);
      const want = this.model.logBetween(name, from, Infinity, everything);
      const difference = got === null ? 'not retained' : firstDifference(got, want, 0);
      if (difference) violation(`${when}: ${name} after ${from} is not every acknowledged event: ${difference}`);
    }
    this.model.started(id, state);
    this.model.latestWritten = this.startedQuietly();
    // Every open subscription reconnects and resumes from the last id it received, as tRPC's client does.
    if (!this.target.resumesItself) for (const entry of this.clients) if (entry.client) entry.stop = this.open(entry.client, entry.client.resumeId);
  }

  /**
   * A running server also prunes on its own timer, whenever it likes: follow its floor, which must
   * never pass the cut-off its retention allows.
   */
  private followPruning(at: string): void {
    const floor = this.desk.journal!.floor;
    if (floor <= this.model.exactFrom) return;
    const cutoff = this.model.cutoff(this.settings.retainEvents);
    if (floor > cutoff) violation(`${at}: the desk pruned through ${floor}, beyond the retention cut-off ${cutoff}`);
    count('pruned in the background');
    this.model.exactFrom = floor;
  }

  private prune(): void {
    const cutoff = this.model.cutoff(this.settings.retainEvents);
    try {
      this.desk.journal!.prune();
    } catch (error) {
      if (!this.diskFull) violation(`step ${this.step}: pruning failed: ${String(error)}`);
      return;
    }
    if (cutoff > this.model.exactFrom) count('pruned');
    this.model.exactFrom = Math.max(this.model.exactFrom, cutoff);
  }
}
