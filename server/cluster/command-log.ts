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
}

/**
 * The shared, ordered command log on Redis Streams: every instance appends its commands to one
 * stream and reads every command back in the order Redis assigned. Two connections: one for
 * appends, one for blocking reads.
 */
export class CommandLog {
  readonly stream: string;
  private readonly baseKey: string;
  private readonly writer: Redis;
  private readonly reader: Redis;

  constructor(options: CommandLogOptions) {
    const prefix = options.prefix ?? 'livedesk';
    this.stream = `${prefix}:commands`;
    this.baseKey = `${prefix}:base`;
    const connection = {
      lazyConnect: true,
      // Fail at once while Redis is away: a mutation is refused, never queued in memory.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
    };
    this.writer = new Redis(options.url, connection);
    this.reader = new Redis(options.url, connection);
    // Connection errors surface as failed calls; the clients reconnect on their own.
    this.writer.on('error', () => undefined);
    this.reader.on('error', () => undefined);
  }

  async connect(): Promise<void> {
    await Promise.all([this.writer.connect(), this.reader.connect()]);
  }

  get up(): boolean {
    return this.writer.status === 'ready' && this.reader.status === 'ready';
  }

  /** The cluster's first event id, fixed by whichever instance asked first. */
  async base(proposed: number): Promise<number> {
    await this.writer.set(this.baseKey, String(proposed), 'NX');
    return Number(await this.writer.get(this.baseKey));
  }

  async append(command: Command, nonce: string): Promise<string> {
    const id = await this.writer.xadd(this.stream, '*', 'n', nonce, 'c', JSON.stringify(command));
    if (!id) throw new Error('the command log did not accept the command');
    return id;
  }

  /** Commands after `afterId`, oldest first; waits up to `blockMs` when there are none. */
  async read(afterId: string, count: number, blockMs: number | null): Promise<LoggedCommand[]> {
    const reply =
      blockMs === null
        ? await this.reader.xread('COUNT', count, 'STREAMS', this.stream, afterId)
        : await this.reader.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.stream, afterId);
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
}
