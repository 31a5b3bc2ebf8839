import { Redis } from 'ioredis';
import type { Command } from '../store/commands';

/** A command as read back from the log, with its stream entry id and who sent it. */
export interface LoggedCommand {
  entryId: string;
  command: Command;
  /** `<instance>:<n>` of the instance that appended it. */
  nonce: string;
  /** Its number in the log, from 1 without gaps (null: appended before the log numbered entries). */
  seq: number | null;
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
  /** Number of the newest entry (0: none yet). */
  seq: number;
}

/** A stored snapshot's place in the log and its bytes. */
export interface StoredSnapshot {
  seq: number;
  entryId: string;
  data: Buffer;
}

/** The command was not sent: Redis was not connected. Nothing was applied. */
export class LogUnavailableError extends Error {}

// A mutation's append and the question "did it happen?" are decided by one marker key, set first
// by whichever runs first: the append writes `logged` and adds the entry in the same script, the
// question writes `abandoned`, after which a late append (a delayed packet, a stalled Redis that
// resumes) adds nothing. So an instance that lost the reply can always find out for certain.
// Every entry carries its number (`s`, from one counter, in the same script), so an instance can
// tell a gap (entries trimmed before it read them) from quiet.
const APPEND = `
if redis.call('SET', KEYS[2], 'logged', 'NX', 'EX', ARGV[3]) then
  local seq = redis.call('INCR', KEYS[3])
  return redis.call('XADD', KEYS[1], '*', 'n', ARGV[1], 'c', ARGV[2], 's', seq)
end
return false`;
const SUBMIT = `
local seq = redis.call('INCR', KEYS[2])
return redis.call('XADD', KEYS[1], '*', 'n', ARGV[1], 'c', ARGV[2], 's', seq)`;
const SETTLE = `
if redis.call('SET', KEYS[1], 'abandoned', 'NX', 'EX', ARGV[1]) then return 'abandoned' end
return redis.call('GET', KEYS[1])`;
// Stores a snapshot, keeps the newest ARGV[4], and trims the stream to the oldest one kept: a new
// instance starts from a snapshot, so nothing before the oldest is ever read again.
const SAVE_SNAPSHOT = `
redis.call('SET', KEYS[3] .. ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1] .. '|' .. ARGV[2])
local keep = tonumber(ARGV[4])
local excess = redis.call('ZCARD', KEYS[2]) - keep
if excess > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do
    redis.call('DEL', KEYS[3] .. string.match(member, '^(%d+)|'))
    redis.call('ZREM', KEYS[2], member)
  end
end
local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
if oldest then
  return redis.call('XTRIM', KEYS[1], 'MINID', string.match(oldest, '|(.+)$'))
end
return 0`;

// Each instance's own reading, and when Redis last heard it (Redis's clock); readings not renewed
// within ARGV[3] ms are dropped by whoever publishes next.
const PRESENCE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now, ARGV[1])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[3])))
for _, id in ipairs(stale) do redis.call('HDEL', KEYS[1], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[3])))
return { now, redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES'), redis.call('HGETALL', KEYS[1]) }`;

type Scripted = Redis & {
  deskPresence(hash: string, seen: string, id: string, reading: string, staleMs: number): Promise<[number, string[], string[]]>;
  deskAppend(stream: string, marker: string, seq: string, nonce: string, command: string, ttl: number): Promise<string | null>;
  deskSubmit(stream: string, seq: string, nonce: string, command: string): Promise<string>;
  deskSaveSnapshot(stream: string, index: string, keyPrefix: string, seq: number, entryId: string, data: Buffer, keep: number): Promise<number>;
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
  private readonly seqKey: string;
  private readonly snapshotsKey: string;
  private readonly writer: Scripted;
  private readonly reader: Redis;

  constructor(options: CommandLogOptions) {
    this.prefix = options.prefix ?? 'livedesk';
    this.stream = `${this.prefix}:commands`;
    this.baseKey = `${this.prefix}:base`;
    this.seqKey = `${this.prefix}:seq`;
    this.snapshotsKey = `${this.prefix}:snapshots`;
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
    this.writer.defineCommand('deskAppend', { numberOfKeys: 3, lua: APPEND });
    this.writer.defineCommand('deskSubmit', { numberOfKeys: 2, lua: SUBMIT });
    this.writer.defineCommand('deskSaveSnapshot', { numberOfKeys: 3, lua: SAVE_SNAPSHOT });
    this.writer.defineCommand('deskPresence', { numberOfKeys: 2, lua: PRESENCE });
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
    const id = await this.writer.deskAppend(this.stream, this.markerOf(nonce), this.seqKey, nonce, JSON.stringify(command), this.markerTtlSec);
    if (!id) throw new Error(`command ${nonce} was abandoned before it reached the log`);
    return id;
  }

  /** Appends a command nobody waits for (a simulator tick): no marker. */
  async submit(command: Command, nonce: string): Promise<void> {
    this.assertConnected();
    await this.writer.deskSubmit(this.stream, this.seqKey, nonce, JSON.stringify(command));
  }

  /**
   * Decides an append whose reply was lost: `logged` (it is in the log, or will be read from it)
   * or `abandoned` (it is not, and never will be). Valid while the marker lives (`markerTtlSec`).
   */
  async settle(nonce: string): Promise<'logged' | 'abandoned'> {
    this.assertConnected();
    return this.writer.deskSettle(this.markerOf(nonce), this.markerTtlSec);
  }

  /** The stream's length, entries ever added, newest id and number (one round trip). */
  async head(): Promise<LogHead> {
    this.assertConnected();
    const [info, seq] = (await this.writer.pipeline().call('XINFO', 'STREAM', this.stream).get(this.seqKey).exec()) ?? [];
    if (seq?.[0]) throw seq[0];
    const count = Number(seq?.[1] ?? 0);
    if (info?.[0]) {
      if (/no such key/i.test(info[0].message)) return { length: 0, entriesAdded: 0, lastId: '0-0', seq: count };
      throw info[0];
    }
    const fields = info?.[1] as unknown[];
    const field = (name: string) => fields[fields.indexOf(name) + 1];
    return { length: Number(field('length')), entriesAdded: Number(field('entries-added')), lastId: String(field('last-generated-id')), seq: count };
  }

  /** Takes the right to write the next snapshot for `ttlSec` (one instance at a time). */
  async claimSnapshot(owner: string, ttlSec: number): Promise<boolean> {
    this.assertConnected();
    return (await this.writer.set(`${this.prefix}:snapshot-lock`, owner, 'EX', ttlSec, 'NX')) === 'OK';
  }

  /**
   * Takes or renews lease `name` for `owner` for `ttlMs` (Redis's clock); false while another
   * owner holds it.
   */
  async lease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.assertConnected();
    const script = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
    return (await this.writer.eval(script, 1, `${this.prefix}:lease:${name}`, owner, ttlMs)) === 1;
  }

  /** Gives lease `name` back when `owner` still holds it. */
  async releaseLease(name: string, owner: string): Promise<void> {
    this.assertConnected();
    await this.writer.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end", 1, `${this.prefix}:lease:${name}`, owner);
  }

  /**
   * Publishes this instance's reading and returns every instance's that is fresher than
   * `staleMs`, each with its age by Redis's clock.
   */
  async presence(id: string, reading: object, staleMs: number): Promise<Array<{ id: string; reading: unknown; ageMs: number }>> {
    this.assertConnected();
    const [now, seen, readings] = await this.writer.deskPresence(`${this.prefix}:instances`, `${this.prefix}:instances-seen`, id, JSON.stringify(reading), staleMs);
    const byId = new Map<string, string>();
    for (let i = 0; i + 1 < readings.length; i += 2) byId.set(readings[i]!, readings[i + 1]!);
    const out: Array<{ id: string; reading: unknown; ageMs: number }> = [];
    for (let i = 0; i + 1 < seen.length; i += 2) {
      const json = byId.get(seen[i]!);
      if (json) out.push({ id: seen[i]!, reading: JSON.parse(json), ageMs: Math.max(0, now - Number(seen[i + 1])) });
    }
    return out;
  }

  /** Stores a value the other instances can read until it expires, unless written again. */
  async writeExpiring(name: string, value: unknown, ttlMs: number): Promise<void> {
    this.assertConnected();
    await this.writer.set(`${this.prefix}:expiring:${name}`, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  /** The values stored under `names` (null where none is, or it expired). */
  async readExpiring(names: string[]): Promise<unknown[]> {
    this.assertConnected();
    if (names.length === 0) return [];
    const values = await this.writer.mget(...names.map((name) => `${this.prefix}:expiring:${name}`));
    return values.map((json) => {
      if (json === null) return null;
      try {
        return JSON.parse(json) as unknown;
      } catch {
        return null;
      }
    });
  }

  /** Removes a value at once (its instance is stopping). */
  async removeExpiring(name: string): Promise<void> {
    this.assertConnected();
    await this.writer.del(`${this.prefix}:expiring:${name}`);
  }

  /** Removes this instance's reading (it is stopping). */
  async leave(id: string): Promise<void> {
    this.assertConnected();
    await this.writer.pipeline().hdel(`${this.prefix}:instances`, id).zrem(`${this.prefix}:instances-seen`, id).exec();
  }

  /** Stores a setting the cluster shares (e.g. the simulator's); returns its new version. */
  async writeSetting(name: string, value: unknown): Promise<number> {
    this.assertConnected();
    const script = "local v = redis.call('HINCRBY', KEYS[1], 'v', 1) redis.call('HSET', KEYS[1], 'value', ARGV[1]) return v";
    return Number(await this.writer.eval(script, 1, `${this.prefix}:setting:${name}`, JSON.stringify(value)));
  }

  /** A shared setting and its version, or null when none was stored. */
  async readSetting(name: string): Promise<{ version: number; value: unknown } | null> {
    this.assertConnected();
    const [version, value] = await this.writer.hmget(`${this.prefix}:setting:${name}`, 'v', 'value');
    return version && value ? { version: Number(version), value: JSON.parse(value) } : null;
  }

  /** Gives the right to write snapshots back (when `owner` still holds it). */
  async releaseSnapshot(owner: string): Promise<void> {
    this.assertConnected();
    await this.writer.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end", 1, `${this.prefix}:snapshot-lock`, owner);
  }

  /** Stores a snapshot, drops all but the newest `keep`, and trims the stream to the oldest kept; returns entries trimmed. */
  async saveSnapshot(seq: number, entryId: string, data: Buffer, keep: number): Promise<number> {
    this.assertConnected();
    return this.writer.deskSaveSnapshot(this.stream, this.snapshotsKey, `${this.prefix}:snapshot:`, seq, entryId, data, keep);
  }

  /** The newest stored snapshot, or null. */
  async newestSnapshot(): Promise<StoredSnapshot | null> {
    this.assertConnected();
    const [member] = await this.writer.zrevrange(this.snapshotsKey, 0, 0);
    if (!member) return null;
    const [seq, entryId] = member.split('|') as [string, string];
    const data = await this.writer.getBuffer(`${this.prefix}:snapshot:${seq}`);
    return data ? { seq: Number(seq), entryId, data } : null;
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
      const seq = value('s');
      return { entryId, nonce: value('n'), seq: seq === '' ? null : Number(seq), command: JSON.parse(value('c')) as Command };
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
