import type { StreamMessage } from '../../../shared/schema/stream';
import { applyStreamMessage } from '../../../shared/stream/apply';
import { canonical, isLogTopic, type FilterChoice, type LogTopicName, type StateTopicName, type TopicSpec } from './catalog';
import { violation, type Reference, type Row } from './reference';

/** One delivered message, as a tRPC client receives it. */
export interface Delivered {
  id: string;
  data: StreamMessage<Row>;
}

/** Where a subscription (or a resumed one) asked to start. */
export type Start = { kind: 'fresh' } | { kind: 'resume'; id: number } | { kind: 'unknown'; id: string };

const byKey = (keyOf: (row: Row) => string) => (rows: readonly Row[]) =>
  canonical([...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0)));

/**
 * A client of one subscription as the model sees it: the view it holds (built with the same
 * `applyStreamMessage` every client uses), checked after every message against the reference:
 * a state view equals the server's state as of the message's id; a log has received exactly the
 * committed events after where it started, or a snapshot marked resync.
 */
export class ModelClient {
  /** The view of a state topic, or the log events received since `logBase`. */
  private view: Row[] = [];
  private logBase = 0;
  private lastId: number | null = null;
  private expectFirst: Start;
  /** True until the first message of the current connection arrived. */
  private awaitingFirst = true;
  readonly inbox: Delivered[] = [];
  resyncs = 0;
  exactResumes = 0;
  readonly errors: unknown[] = [];
  private readonly sorted: (rows: readonly Row[]) => string;

  constructor(
    readonly label: string,
    readonly spec: TopicSpec,
    readonly filter: FilterChoice,
    readonly limit: number,
    start: Start,
    model: Reference,
  ) {
    this.sorted = byKey(spec.keyOf);
    this.expectFirst = start;
    if (start.kind === 'resume') this.seed(start.id, model);
  }

  /** The id to resume from after a reconnect (what tRPC's client sends as `lastEventId`). */
  get resumeId(): string | null {
    if (this.lastId !== null) return String(this.lastId);
    return this.expectFirst.kind === 'fresh' ? null : this.expectFirst.kind === 'resume' ? String(this.expectFirst.id) : this.expectFirst.id;
  }

  /** The connection dropped: the next message answers a resume from the last id received. */
  reconnecting(): void {
    if (this.lastId !== null) this.expectFirst = { kind: 'resume', id: this.lastId };
    this.awaitingFirst = true;
  }

  /** Checks every message received since the last call. */
  check(model: Reference): void {
    if (this.errors.length > 0) violation(`${this.label}: the subscription failed: ${String(this.errors[0])}`);
    for (const message of this.inbox.splice(0)) this.receive(message, model);
  }

  private seed(id: number, model: Reference): void {
    if (isLogTopic(this.spec.name)) this.logBase = id;
    else this.view = model.viewAt(this.spec.name, id, this.filter.match) ?? [];
  }

  private receive({ id, data }: Delivered, model: Reference): void {
    const at = `${this.label} at id ${id} (${data.type}${data.type === 'snapshot' ? `, resync ${data.resync}` : ''})`;
    if (!/^\d+$/.test(id)) violation(`${at}: the id is not a decimal event id`);
    const x = Number(id);
    if (this.lastId !== null && x < this.lastId) violation(`${at}: ids went backwards (after ${this.lastId})`);
    if (!model.knows(x)) violation(`${at}: the desk never issued this id (its last is ${model.lastId})`);
    if (this.awaitingFirst) this.checkFirst(this.expectFirst, data, at, model);
    else if (data.type === 'snapshot' && !data.resync) violation(`${at}: a snapshot mid-stream must be marked resync`);
    if (data.type === 'snapshot' && data.resync) this.resyncs++;
    else if (this.awaitingFirst && this.expectFirst.kind === 'resume') this.exactResumes++;
    this.awaitingFirst = false;
    this.lastId = x;
    if (isLogTopic(this.spec.name)) this.receiveLog(this.spec.name, x, data, at, model);
    else this.receiveState(this.spec.name, x, data, at, model);
  }

  private checkFirst(first: Start, data: StreamMessage<Row>, at: string, model: Reference): void {
    if (first.kind === 'fresh') {
      if (data.type !== 'snapshot' || data.resync) violation(`${at}: a fresh subscription must start with a plain snapshot`);
      return;
    }
    if (first.kind === 'unknown') {
      if (data.type !== 'snapshot' || !data.resync) violation(`${at}: a resume from ${first.id}, which this desk cannot answer, must be a resync snapshot`);
      return;
    }
    if (data.type === 'snapshot') {
      if (!data.resync) violation(`${at}: a resume from ${first.id} answered with a snapshot not marked resync`);
      if (first.id >= model.exactFrom) violation(`${at}: a resume from ${first.id} was resynced although nothing after it was pruned (exact from ${model.exactFrom})`);
    }
  }

  private receiveState(topic: StateTopicName, x: number, data: StreamMessage<Row>, at: string, model: Reference): void {
    if (data.type === 'append') violation(`${at}: a state topic sent an append`);
    this.view = applyStreamMessage(this.view, data, { keyOf: this.spec.keyOf });
    const expected = model.viewAt(topic, x, this.filter.match)!;
    const got = this.sorted(this.view);
    const want = this.sorted(expected);
    if (got !== want) violation(`${at}: the client's view differs from the desk's state as of that id\n  client: ${got}\n  desk:   ${want}`);
  }

  private receiveLog(topic: LogTopicName, x: number, data: StreamMessage<Row>, at: string, model: Reference): void {
    if (data.type === 'changes') violation(`${at}: a log topic sent changes`);
    if (data.type === 'snapshot') {
      const committed = model.logBetween(topic, 0, x, this.filter.match);
      const k = data.items.length;
      if (k > this.limit) violation(`${at}: a snapshot of ${k} events for limit ${this.limit}`);
      const difference = firstDifference(data.items, committed.slice(committed.length - k), 0);
      if (difference) violation(`${at}: the snapshot is not the newest ${k} committed events: ${difference}`);
      this.logBase = x;
      this.view = [];
      return;
    }
    const verified = this.view.length;
    this.view.push(...data.items);
    const expected = model.logBetween(topic, this.logBase, x, this.filter.match);
    const difference = firstDifference(this.view, expected, verified);
    if (difference) violation(`${at}: events received after ${this.logBase} differ from those committed up to ${x}: ${difference}`);
  }
}

/** Where two lists of events first differ (checking from `from` on), or null when they are equal. */
export function firstDifference(got: readonly Row[], want: readonly Row[], from: number): string | null {
  for (let i = from; i < Math.max(got.length, want.length); i++) {
    const a = i < got.length ? canonical(got[i]) : 'nothing';
    const b = i < want.length ? canonical(want[i]) : 'nothing';
    if (a !== b) return `${got.length} received, ${want.length} committed; #${i} is ${a}, expected ${b}`;
  }
  return null;
}
