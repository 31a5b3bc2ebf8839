/**
 * Bytes on the wire for the state streams that offer deltas, at the simulator's own rate: one desk,
 * the same changes, subscribers with whole rows, with `deltas: true`, and with compact deltas over
 * packed frames (`deltas: 'compact'`, `?frames=packed`) in the same run, bytes per second per
 * stream and where they go (tRPC's envelope or the message); then permessage-deflate off and on at
 * N subscribers: wire bytes, server CPU and memory per connection.
 */
import { loadavg } from 'node:os';
import WebSocket from 'ws';
import { SERVER_CPU, sleep } from './fleet';
import { spawnChild, type Proc } from './procs';

/** The streams measured, each with the input its subscribers send. */
export const BYTE_STREAMS = ['market.onPositions', 'market.onPortfolio', 'agents.onAgents', 'agents.onTasks', 'agents.onWorkflows'] as const;

export interface StreamBytes {
  path: string;
  /** Data frames' bytes per second, whole rows, with deltas, and compact deltas in packed frames. */
  whole: number;
  deltas: number;
  compact: number;
  ratio: number;
  /** whole / compact. */
  compactRatio: number;
  /** Of `whole` and `deltas`: the bytes of the messages themselves (the rest is tRPC's envelope). */
  wholeMessages: number;
  deltasMessages: number;
  /** Messages per second (the same with and without deltas). */
  messagesPerSec: number;
}

export interface DeflateRun {
  deflate: boolean;
  /** Any deltas (plain or compact). */
  deltas: boolean;
  mode: BytesMode;
  n: number;
  /** Bytes read from the sockets (compressed when deflate is on), per second, all N together. */
  wireBytesPerSec: number;
  /** Server CPU per second of run (µs/s) and per received frame (µs). */
  serverCpuUsPerSec: number;
  serverCpuUsPerFrame: number;
  /** Server heap and RSS per connection with its subscriptions (bytes). */
  heapPerConnection: number;
  rssPerConnection: number;
  framesPerSec: number;
}

export interface BytesResult {
  seconds: number;
  ticksPerSecond: number;
  streams: StreamBytes[];
  /** All five streams together. */
  total: { whole: number; deltas: number; compact: number; ratio: number; compactRatio: number };
  /** Packed frames per second of the compact client (one per flush that had news). */
  packedFramesPerSec: number;
  /** The machine's load average (1, 5, 15 min) before and after the streams' run. */
  load: { before: number[]; after: number[] };
  deflate: DeflateRun[];
}

interface Client {
  socket: WebSocket;
  /** Data-frame bytes per subscription (by path); of a packed frame, each message's part and its share of the brackets. */
  bytes: Map<string, number>;
  /** The messages' own JSON, without tRPC's envelope. */
  messageBytes: Map<string, number>;
  messages: Map<string, number>;
  frames: number;
}

/** What a client asks for: whole rows, `deltas: true`, or compact deltas in packed frames. */
export type BytesMode = 'whole' | 'deltas' | 'compact';

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/** One connection subscribed to every measured stream, counting each stream's data frames. */
async function openClient(url: string, mode: BytesMode, deflate: boolean): Promise<Client> {
  const socket = new WebSocket(mode === 'compact' ? `${url}?frames=packed` : url, { perMessageDeflate: deflate });
  const client: Client = { socket, bytes: new Map(), messageBytes: new Map(), messages: new Map(), frames: 0 };
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const snapshots = new Set<number>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bytes: no snapshots in 15 s')), 15_000);
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text === 'PING') return socket.send('PONG');
      if (text.startsWith('[')) {
        // A packed frame: [requestId, idStep, message, ...]; each message's part, plus its share of the brackets.
        const parts = JSON.parse(text) as unknown[];
        const entries: Array<[path: string, bytes: number]> = [];
        for (let i = 0; i + 2 < parts.length; i += 3) entries.push([BYTE_STREAMS[(parts[i] as number) - 1]!, Buffer.byteLength(`${parts[i]},${parts[i + 1]},${JSON.stringify(parts[i + 2])}`) + 1]);
        const overhead = (data.length - entries.reduce((sum, [, n]) => sum + n, 0)) / entries.length;
        for (const [path, n] of entries) {
          add(client.bytes, path, n + overhead);
          add(client.messages, path, 1);
        }
        client.frames++;
        return;
      }
      const frame = JSON.parse(text) as { id: number; result?: { type: string; data?: { data?: unknown } } };
      if (frame.result?.type !== 'data') return;
      // Each subscription's first message is its snapshot: counted apart from the stream.
      if (!snapshots.has(frame.id)) {
        snapshots.add(frame.id);
        if (snapshots.size === BYTE_STREAMS.length) {
          clearTimeout(timer);
          resolve();
        }
        return;
      }
      const path = BYTE_STREAMS[frame.id - 1]!;
      add(client.bytes, path, data.length);
      add(client.messageBytes, path, Buffer.byteLength(JSON.stringify(frame.result.data?.data)));
      add(client.messages, path, 1);
      client.frames++;
    });
    const input = mode === 'whole' ? {} : { deltas: mode === 'compact' ? 'compact' : true };
    BYTE_STREAMS.forEach((path, i) => socket.send(JSON.stringify({ id: i + 1, method: 'subscription', params: { path, input } })));
  });
  return client;
}

const rawBytesRead = (socket: WebSocket) => (socket as unknown as { _socket: { bytesRead: number } })._socket.bytesRead;

async function startServer(deflate: boolean): Promise<{ proc: Proc; url: string }> {
  const proc = spawnChild(`bytes-server${deflate ? '-deflate' : ''}`, './bytes-server.ts', [], { cpu: SERVER_CPU, nodeFlags: ['--expose-gc'], env: { BENCH_DEFLATE: deflate ? '1' : '0' } });
  const { url } = (await proc.ready) as { url: string };
  return { proc, url };
}

/** Whole rows against deltas and compact deltas, one connection each, the same changes. */
async function measureStreams(seconds: number): Promise<{ streams: StreamBytes[]; ticksPerSecond: number; packedFramesPerSec: number; load: BytesResult['load'] }> {
  const { proc, url } = await startServer(false);
  try {
    const whole = await openClient(url, 'whole', false);
    const deltas = await openClient(url, 'deltas', false);
    const compact = await openClient(url, 'compact', false);
    const before = loadavg();
    await proc.request('start');
    await sleep(seconds * 1000);
    await proc.request('stop');
    await sleep(200);
    const after = loadavg();
    const { ticksPerSecond } = await proc.request<{ ticksPerSecond: number }>('status');
    const perStream = (client: Client, path: string, of: 'bytes' | 'messageBytes' = 'bytes') => (client[of].get(path) ?? 0) / seconds;
    const streams = BYTE_STREAMS.map((path) => {
      const w = perStream(whole, path);
      const d = perStream(deltas, path);
      const c = perStream(compact, path);
      return {
        path,
        whole: w,
        deltas: d,
        compact: c,
        ratio: d > 0 ? w / d : 0,
        compactRatio: c > 0 ? w / c : 0,
        wholeMessages: perStream(whole, path, 'messageBytes'),
        deltasMessages: perStream(deltas, path, 'messageBytes'),
        messagesPerSec: (whole.messages.get(path) ?? 0) / seconds,
      };
    });
    for (const client of [whole, deltas, compact]) client.socket.close();
    return { streams, ticksPerSecond, packedFramesPerSec: compact.frames / seconds, load: { before, after } };
  } finally {
    proc.kill();
  }
}

/** N connections, each subscribed to every stream, deflate off or on: wire bytes, server CPU, memory. */
async function measureDeflate(n: number, deflate: boolean, mode: BytesMode, seconds: number): Promise<DeflateRun> {
  const { proc, url } = await startServer(deflate);
  try {
    const before = await proc.request<{ heapUsed: number; rss: number }>('memory');
    const clients: Client[] = [];
    for (let i = 0; i < n; i += 50) clients.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => openClient(url, mode, deflate)))));
    const after = await proc.request<{ heapUsed: number; rss: number }>('memory');
    const readBefore = clients.reduce((sum, c) => sum + rawBytesRead(c.socket), 0);
    const framesBefore = clients.reduce((sum, c) => sum + c.frames, 0);
    const cpuBefore = await proc.request<number>('cpu');
    await proc.request('start');
    await sleep(seconds * 1000);
    await proc.request('stop');
    await sleep(300);
    const cpuAfter = await proc.request<number>('cpu');
    const read = clients.reduce((sum, c) => sum + rawBytesRead(c.socket), 0) - readBefore;
    const frames = clients.reduce((sum, c) => sum + c.frames, 0) - framesBefore;
    for (const client of clients) client.socket.terminate();
    return {
      deflate,
      deltas: mode !== 'whole',
      mode,
      n,
      wireBytesPerSec: read / seconds,
      serverCpuUsPerSec: (cpuAfter - cpuBefore) / seconds,
      serverCpuUsPerFrame: frames > 0 ? (cpuAfter - cpuBefore) / frames : 0,
      heapPerConnection: (after.heapUsed - before.heapUsed) / n,
      rssPerConnection: (after.rss - before.rss) / n,
      framesPerSec: frames / seconds,
    };
  } finally {
    proc.kill();
  }
}

export async function measureBytes(options: { seconds: number; deflateN: number; onLine?: (line: string) => void }): Promise<BytesResult> {
  const { seconds, deflateN } = options;
  const { streams, ticksPerSecond, packedFramesPerSec, load } = await measureStreams(seconds);
  const sum = (pick: (s: StreamBytes) => number) => streams.reduce((total, s) => total + pick(s), 0);
  const total = { whole: sum((s) => s.whole), deltas: sum((s) => s.deltas), compact: sum((s) => s.compact), ratio: 0, compactRatio: 0 };
  total.ratio = total.deltas > 0 ? total.whole / total.deltas : 0;
  total.compactRatio = total.compact > 0 ? total.whole / total.compact : 0;
  for (const s of streams) {
    options.onLine?.(
      `bytes ${s.path}: ${s.whole.toFixed(0)} B/s whole rows (messages ${s.wholeMessages.toFixed(0)}), ${s.deltas.toFixed(0)} B/s with deltas (messages ${s.deltasMessages.toFixed(0)}, ${s.ratio.toFixed(1)}x), ${s.compact.toFixed(0)} B/s compact in packed frames (${s.compactRatio.toFixed(1)}x)`,
    );
  }
  options.onLine?.(
    `bytes, the five streams: ${total.whole.toFixed(0)} B/s whole rows, ${total.deltas.toFixed(0)} B/s with deltas (${total.ratio.toFixed(1)}x), ${total.compact.toFixed(0)} B/s compact in packed frames (${total.compactRatio.toFixed(1)}x, ${packedFramesPerSec.toFixed(1)} frames/s) at ${ticksPerSecond} ticks/s; load ${load.before.map((l) => l.toFixed(2)).join(' / ')} before, ${load.after.map((l) => l.toFixed(2)).join(' / ')} after`,
  );
  const deflate: DeflateRun[] = [];
  if (deflateN > 0) {
    const runs: Array<[boolean, BytesMode]> = [[false, 'whole'], [true, 'whole'], [false, 'deltas'], [true, 'deltas'], [false, 'compact'], [true, 'compact']];
    for (const [on, mode] of runs) {
      const run = await measureDeflate(deflateN, on, mode, seconds);
      deflate.push(run);
      options.onLine?.(
        `deflate ${on ? 'on' : 'off'}, ${mode}, N=${deflateN}: ${(run.wireBytesPerSec / 1024).toFixed(1)} KiB/s on the wire, server CPU ${(run.serverCpuUsPerSec / 1e4).toFixed(1)} % (${run.serverCpuUsPerFrame.toFixed(1)} µs/frame), per connection heap ${(run.heapPerConnection / 1024).toFixed(1)} KiB, RSS ${(run.rssPerConnection / 1024).toFixed(1)} KiB`,
      );
    }
  }
  return { seconds, ticksPerSecond, streams, total, packedFramesPerSec, load, deflate };
}

/** Prints the bytes tables. */
export function printBytesTable(result: BytesResult): void {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  console.log(
    `\nBytes per second per stream at the simulator's rate (${result.ticksPerSecond} ticks/s, ${result.seconds} s, the same changes; load average ${load(result.load.before)} before, ${load(result.load.after)} after)`,
  );
  console.log('| stream | whole rows (of which messages) | deltas (of which messages) | fewer bytes | compact, packed frames | fewer bytes |');
  console.log('|---|---|---|---|---|---|');
  for (const s of result.streams) {
    console.log(
      `| ${s.path} | ${s.whole.toFixed(0)} (${s.wholeMessages.toFixed(0)}) B/s | ${s.deltas.toFixed(0)} (${s.deltasMessages.toFixed(0)}) B/s | ${s.ratio.toFixed(1)}x | ${s.compact.toFixed(0)} B/s | ${s.compactRatio.toFixed(1)}x |`,
    );
  }
  const t = result.total;
  console.log(`| all five | ${t.whole.toFixed(0)} B/s | ${t.deltas.toFixed(0)} B/s | ${t.ratio.toFixed(1)}x | ${t.compact.toFixed(0)} B/s (${result.packedFramesPerSec.toFixed(1)} frames/s) | ${t.compactRatio.toFixed(1)}x |`);
  if (result.deflate.length === 0) return;
  console.log(`\npermessage-deflate at N = ${result.deflate[0]!.n} connections (each on all five streams)`);
  console.log('| deflate | rows | wire | server CPU | CPU per frame | heap / RSS per connection |');
  console.log('|---|---|---|---|---|---|');
  for (const r of result.deflate) {
    const rows = r.mode === 'whole' ? 'whole' : r.mode === 'deltas' ? 'deltas' : 'compact, packed';
    console.log(
      `| ${r.deflate ? 'on' : 'off'} | ${rows} | ${(r.wireBytesPerSec / 1024).toFixed(1)} KiB/s | ${(r.serverCpuUsPerSec / 1e4).toFixed(1)} % | ${r.serverCpuUsPerFrame.toFixed(1)} µs | ${(r.heapPerConnection / 1024).toFixed(1)} / ${(r.rssPerConnection / 1024).toFixed(1)} KiB |`,
    );
  }
}

// Alone: `tsx server/bench/bytes.ts [seconds] [N]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureBytes({ seconds: Number(process.argv[2] ?? 10), deflateN: Number(process.argv[3] ?? 0), onLine: (line) => console.log(line) });
  printBytesTable(result);
  process.exit(0);
}
