import type { PriceTick } from './schema/market';
import type { StreamMessage } from './schema/stream';

interface ErrorLike {
  message?: unknown;
  cause?: unknown;
  code?: unknown;
  data?: { code?: unknown; zodError?: { formErrors?: unknown; fieldErrors?: unknown } | null } | null;
}

/** The network reason of a failed fetch or socket (`ECONNREFUSED`), if it carries one. */
function networkReason(error: unknown): string | undefined {
  for (let e = error as ErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorLike | undefined, depth++) {
    if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * One line for any error the CLI meets: the desk's code and message, with each offending input
 * field (`qty: Too small …`) instead of the validator's raw JSON; a network failure as
 * "cannot reach <url>".
 */
export function errorLine(error: unknown, url: string): string {
  const e = (error ?? {}) as ErrorLike;
  const zod = e.data?.zodError;
  if (zod) {
    const fields = Object.entries((zod.fieldErrors ?? {}) as Record<string, string[] | undefined>).map(([field, messages]) => `${field}: ${(messages ?? []).join(', ')}`);
    const form = Array.isArray(zod.formErrors) ? (zod.formErrors as string[]) : [];
    return `error: invalid input: ${[...form, ...fields].join('; ') || 'rejected by the desk'}`;
  }
  const message = oneLine(typeof e.message === 'string' ? e.message : String(error));
  if (typeof e.data?.code === 'string') return `error: ${e.data.code}: ${message}`;
  const reason = networkReason(error);
  if (reason || /fetch failed|ECONNREFUSED|socket hang up/i.test(message)) return `error: cannot reach ${url} (${reason ?? message})`;
  return `error: ${message}`;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/** Why a connection attempt failed, in a few words: the network code, else the message. */
export function connectionFailure(error: unknown): string {
  return networkReason(error) ?? oneLine(error instanceof Error ? error.message : String(error));
}

/** The lines `watch` prints for one stream message. */
export function describe(stream: string, message: StreamMessage<unknown>): string[] {
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

/** `1500` as `1.5s`, `200` as `200ms`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${+(ms / 1000).toFixed(1)}s`;
}
