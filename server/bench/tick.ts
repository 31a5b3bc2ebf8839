import type { PriceTick } from '../../shared/schema/market';

/** The symbols every bench tick rotates over; a subscriber asks for all of them. */
export const BENCH_SYMBOLS = Array.from({ length: 128 }, (_, i) => `BN${String(i).padStart(2, '0')}`);

const money = (n: number) => Math.round(n * 100) / 100;

/** The price a tick with sequence number `seq` carries (the same for every server). */
export function priceOf(seq: number): number {
  return money(100 + (seq % 997) / 10);
}

/** The symbol a tick with sequence number `seq` is for. */
export function symbolOf(seq: number): string {
  return BENCH_SYMBOLS[seq % BENCH_SYMBOLS.length]!;
}

/**
 * The tick the baselines send: the same fields, order and size as the desk's own PriceTick, with
 * the sequence number in `volume` and the send time in `ts`.
 */
export function makeTick(seq: number, now = Date.now()): PriceTick {
  const price = priceOf(seq);
  const open = 100;
  const spread = money(Math.max(price * 0.0002, 0.01));
  return {
    symbol: symbolOf(seq),
    price,
    bid: money(price - spread / 2),
    ask: money(price + spread / 2),
    change: money(price - open),
    changePct: money(((price - open) / open) * 100),
    volume: seq,
    ts: now,
  };
}

const VOLUME = Buffer.from('"volume":');
const TS = Buffer.from('"ts":');

function readInt(buf: Buffer, at: number): [value: number, end: number] {
  let value = 0;
  let i = at;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  return [value, i];
}

/**
 * Finds every tick in a frame of any of the three wire formats without parsing the JSON: each
 * tick ends with `"volume":<seq>,"ts":<ms>`. Calls `onTick` in frame order.
 */
export function scanTicks(buf: Buffer, onTick: (seq: number, ts: number) => void): void {
  let at = buf.indexOf(VOLUME);
  while (at !== -1) {
    const [seq, end] = readInt(buf, at + VOLUME.length);
    const tsAt = buf.indexOf(TS, end);
    if (tsAt === -1) return;
    const [ts, tsEnd] = readInt(buf, tsAt + TS.length);
    onTick(seq, ts);
    at = buf.indexOf(VOLUME, tsEnd);
  }
}
