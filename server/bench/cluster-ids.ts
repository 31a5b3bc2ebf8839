import { sleep, type Fleet } from './fleet';
import { BENCH_SYMBOLS } from './tick';
import { openParsed, type WireMessage } from './wire';

export interface IdCheck {
  ticks: number;
  /** Ticks of the check each instance delivered to its subscriber. */
  received: number[];
  /** Ticks that came alone in a message on every instance, so each has its own event id to compare. */
  compared: number;
  /** Of those, how many carried the same event id on every instance. */
  sameIds: number;
  /** Every instance delivered every tick, field for field the same (price, volume, ts, …). */
  sameTicks: boolean;
  /** Each instance's newest event id once all ticks were delivered. */
  lastEventIds: string[];
  /** All of the above agree. */
  identical: boolean;
}

interface Tick {
  volume: number;
}

const ticksOf = (message: WireMessage): Tick[] => {
  const data = message.data as { type: string; upserts?: Tick[]; items?: Tick[] };
  return data.type === 'changes' ? (data.upserts ?? []) : (data.items ?? []);
};

/**
 * One parsed `market.onPrices` subscriber on every instance of a cluster fleet; `ticks` ticks go
 * through the first instance at `rate` per second (slow enough that each tick is a message of its
 * own). Every instance must deliver the same ticks under the same event ids.
 */
export async function checkClusterIds(fleet: Fleet, ticks = 100, rate = 50): Promise<IdCheck> {
  const input = { symbols: BENCH_SYMBOLS };
  const subscribers = await Promise.all(fleet.urls.map((url) => openParsed(url, { input })));
  try {
    await sleep(200);
    const from = fleet.take(ticks);
    const inRange = (t: Tick) => t.volume >= from && t.volume < from + ticks;
    await fleet.server.request('publish', { from, count: ticks, rate }, 60_000);
    const all = (m: WireMessage[]) => m.flatMap(ticksOf).filter(inRange).length >= ticks;
    await Promise.all(subscribers.map((s) => s.until(all, 10_000).catch(() => {})));
    const lastEventIds = await Promise.all(fleet.servers.map((s) => s.request<string | null>('lastEventId').then(String)));

    const seen = subscribers.map((s) => {
      const bySeq = new Map<number, { id: string | null; json: string }>();
      for (const message of s.messages) {
        const mine = ticksOf(message);
        for (const tick of mine.filter(inRange)) bySeq.set(tick.volume, { id: mine.length === 1 ? message.id : null, json: JSON.stringify(tick) });
      }
      return bySeq;
    });
    const [first, ...rest] = seen;
    let compared = 0;
    let sameIds = 0;
    let sameTicks = seen.every((s) => s.size === ticks);
    for (const [seq, a] of first!) {
      const others = rest.map((s) => s.get(seq));
      if (others.some((o) => o?.json !== a.json)) sameTicks = false;
      if (a.id === null || others.some((o) => !o || o.id === null)) continue;
      compared++;
      if (others.every((o) => o!.id === a.id)) sameIds++;
    }
    const sameLast = lastEventIds.every((id) => id === lastEventIds[0]);
    return {
      ticks,
      received: seen.map((s) => s.size),
      compared,
      sameIds,
      sameTicks,
      lastEventIds,
      identical: sameTicks && compared > 0 && sameIds === compared && sameLast,
    };
  } finally {
    for (const s of subscribers) s.socket.terminate();
  }
}
