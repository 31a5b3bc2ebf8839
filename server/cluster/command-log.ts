import { Redis } from 'ioredis';
import type { Command } from '../store/commands';

/** A command as read back from the log, with its stream entry id and who sent it. */
export interface LoggedCommand {
  entryId: string;
  command: Command;
  /** `<instance>:<n>` of the instance that appended it. */
  nonce: string;
}

export interface CommandLogOptions {
  url: string;
  /** @default 'livedesk' */
  prefix?: string;
  /** How long any Redis command may take before it fails (a blocking read: on top of its block time). @default 2000 */
  commandTimeoutMs?: number;
  /** How long a mutation's marker (logged or abandoned) is kept in Redis. @default 900 */
  markerTtlSec?: number;
}

/** What Redis says of the log right now. */
export interface LogHead {
  /** Entries in the stream now. */
  length: number;
  /** Entries ever added (trimming does not lower it). */
  entriesAdded: number;
  /** Id of the newest entry, `0-0` when there is none. */
  lastId: string;
}

/** The command was not sent: Redis was not connected. Nothing was applied. */
export class LogUnavailableError extends Error {}

// A mutation's append and the question "did it happen?" are decided by one marker key, set first
// by whichever runs first: the append writes `logged` and adds the entry in the same script, the
// question writes `abandoned`, after which a late append (a delayed packet, a stalled Redis that
// resumes) adds nothing. So an instance that lost the reply can always find out for certain.
const APPEND = `
if redis.call('SET', KEYS[2], 'logged', 'NX', 'EX', ARGV[3]) then
  return redis.call('XADD', KEYS[1], '*', 'n', ARGV[1], 'c', ARGV[2])
end
return false`;
const SETTLE = `
if redis.call('SET', KEYS[1], 'abandoned', 'NX', 'EX', ARGV[1]) then return 'abandoned' end
return redis.call('GET', KEYS[1])`;

type Scripted = Redis & {
  deskAppend(stream: string, marker: string, nonce: string, command: string, ttl: number): Promise<string | null>;
  deskSettle(marker: string, ttl: number): Promise<'logged' | 'abandoned'>;
};

/**
 * The shared, ordered command log on Redis Streams: every instance appends its commands to one
 * stream and reads every command back in the order Redis assigned. Two connections: one for
 * appends and questions, one for blocking reads. Every command has a timeout, so a stalled Redis
 * fails calls instead of holding them.
 */
export class CommandLog {
  readonly stream: string;
  readonly prefix: string;
  readonly markerTtlSec: number;
  private readonly baseKey: string;
  private readonly writer: Scripted;
  private readonly reader: Redis;

  constructor(options: CommandLogOptions) {
    this.prefix = options.prefix ?? 'livedesk';
    this.stream = `${this.prefix}:commands`;
    this.baseKey = `${this.prefix}:base`;
    this.markerTtlSec = options.markerTtlSec ?? 900;
    const commandTimeout = options.commandTimeoutMs ?? 2000;
    const connection = {
      lazyConnect: true,
      // Fail at once while Redis is away: a mutation is refused, never queued in memory.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Never send a command twice after a reconnect: whether it ran is asked, not assumed.
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
    };
    this.writer = new Redis(options.url, { ...connection, commandTimeout }) as Scripted;
    this.writer.defineCommand('deskAppend', { numberOfKeys: 2, lua: APPEND });
    this.writer.defineCommand('deskSettle', { numberOfKeys: 1, lua: SETTLE });
    this.reader = new Redis(options.url, { ...connection, commandTimeout: commandTimeout + READ_BLOCK_MS });
    // Connection errors surface as failed calls; the clients reconnect on their own.
    this.writer.on('error', () => undefined);
    this.reader.on('error', () => undefined);
  }

  async connect(): Promise<void> {
    await Promise.all([this.writer.connect(), this.reader.connect()]);
  }

  /** Both connections are established (says nothing of a stalled Redis; see `connectCluster`). */
  get up(): boolean {
    return this.writer.status === 'ready' && this.reader.status === 'ready';
  }

  /** The cluster's first event id, fixed by whichever instance asked first. */
  async base(proposed: number): Promise<number> {
    await this.writer.set(this.baseKey, String(proposed), 'NX');
    return Number(await this.writer.get(this.baseKey));
  }

  /**
   * Appends a mutation's command under a marker (see `settle`). Throws `LogUnavailableError` when
   * it was not sent; any other error leaves it in doubt.
   */
  async append(command: Command, nonce: string): Promise<string> {
    this.assertConnected();
    const id = await this.writer.deskAppend(this.stream, this.markerOf(nonce), nonce, JSON.stringify(command), this.markerTtlSec);
    if (!id) throw new Error(`command ${nonce} was abandoned before it reached the log`);
    return id;
  }

  /** Appends a command nobody waits for (a simulator tick): no marker. */
  async submit(command: Command, nonce: string): Promise<void> {
    this.assertConnected();
    await this.writer.xadd(this.stream, '*', 'n', nonce, 'c', JSON.stringify(command));
  }

  /**
   * Decides an append whose reply was lost: `logged` (it is in the log, or will be read from it)
   * or `abandoned` (it is not, and never will be). Valid while the marker lives (`markerTtlSec`).
   */
  async settle(nonce: string): Promise<'logged' | 'abandoned'> {
    this.assertConnected();
    return this.writer.deskSettle(this.markerOf(nonce), this.markerTtlSec);
  }

  /** The stream's length, entries ever added and newest id (one round trip). */
  async head(): Promise<LogHead> {
    this.assertConnected();
    const info = (await this.writer.call('XINFO', 'STREAM', this.stream).catch((error: Error) => {
      if (/no such key/i.test(error.message)) return null;
      throw error;
    })) as unknown[] | null;
    if (!info) return { length: 0, entriesAdded: 0, lastId: '0-0' };
    const field = (name: string) => info[info.indexOf(name) + 1];
    return { length: Number(field('length')), entriesAdded: Number(field('entries-added')), lastId: String(field('last-generated-id')) };
  }

  /** Commands after `afterId`, oldest first; waits up to `READ_BLOCK_MS` when `block` and there are none. */
  async read(afterId: string, count: number, block: boolean): Promise<LoggedCommand[]> {
    if (this.reader.status !== 'ready') throw new LogUnavailableError('the command log is not connected');
    const reply = block
      ? await this.reader.xread('COUNT', count, 'BLOCK', READ_BLOCK_MS, 'STREAMS', this.stream, afterId)
      : await this.reader.xread('COUNT', count, 'STREAMS', this.stream, afterId);
    const entries = reply?.[0]?.[1] ?? [];
    return entries.map(([entryId, fields]) => {
      const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
      return { entryId, nonce: value('n'), command: JSON.parse(value('c')) as Command };
    });
  }

  close(): void {
    this.writer.disconnect();
    this.reader.disconnect();
  }

  private markerOf(nonce: string): string {
    return `${this.prefix}:nonce:${nonce}`;
  }

  private assertConnected(): void {
    if (this.writer.status !== 'ready') throw new LogUnavailableError('the command log is not connected');
  }
}

/** How long a blocking read waits for new commands. */
export const READ_BLOCK_MS = 1000;
