/** A subscription's id on one multiplexed SSE stream, chosen by the client. */
export type MuxSubscriptionId = number | string;

/** One subscription asked for on a multiplexed SSE stream. */
export interface MuxSubscribe {
  id: MuxSubscriptionId;
  path: string;
  input: unknown;
  /** The last event id the client received on this subscription: it resumes after it. */
  lastEventId: string | null;
}

/** The body of `POST /sse-mux`: what to start and stop on the caller's stream `stream`. */
export interface MuxRequest {
  stream: string;
  subscribe: MuxSubscribe[];
  unsubscribe: MuxSubscriptionId[];
}

const MAX_ID_LENGTH = 64;
const MAX_PATH_LENGTH = 200;

/** The map key of a subscription id: `1` and `"1"` are two subscriptions, as in tRPC's protocol. */
export function muxKey(id: MuxSubscriptionId): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}

function idProblem(id: unknown, where: string): string | null {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id >= 0 ? null : `${where}: id must be a whole number ≥ 0 or a string, not ${id}`;
  if (typeof id === 'string') return id.length > 0 && id.length <= MAX_ID_LENGTH ? null : `${where}: id must be 1 to ${MAX_ID_LENGTH} characters`;
  return `${where}: id must be a whole number or a string`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the body of `POST /sse-mux`: `{ stream, subscribe?: [{ id, path, input?, lastEventId? }],
 * unsubscribe?: [id] }`, at most `maxOps` entries in all and no id twice. Returns the request, or a
 * sentence saying what is wrong with it (the whole request is then refused and nothing changes).
 */
export function parseMuxRequest(body: string, maxOps: number): MuxRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'the body is not JSON: send { "stream": "<id from the stream\'s open event>", "subscribe": [...], "unsubscribe": [...] }';
  }
  if (!isRecord(value)) return 'the body must be a JSON object { stream, subscribe?, unsubscribe? }';
  const { stream, subscribe = [], unsubscribe = [] } = value;
  if (typeof stream !== 'string' || stream.length === 0 || stream.length > MAX_ID_LENGTH) {
    return 'stream must be the id the stream announced in its open event';
  }
  if (!Array.isArray(subscribe)) return 'subscribe must be an array of { id, path, input?, lastEventId? }';
  if (!Array.isArray(unsubscribe)) return 'unsubscribe must be an array of subscription ids';
  if (subscribe.length + unsubscribe.length > maxOps) {
    return `at most ${maxOps} subscribe and unsubscribe entries per request (DESK_MAX_BATCH), not ${subscribe.length + unsubscribe.length}`;
  }
  const seen = new Set<string>();
  const subscriptions: MuxSubscribe[] = [];
  for (const [i, entry] of subscribe.entries()) {
    const where = `subscribe[${i}]`;
    if (!isRecord(entry)) return `${where} must be an object { id, path, input?, lastEventId? }`;
    const { id, path, input, lastEventId = null } = entry;
    const problem = idProblem(id, where);
    if (problem) return problem;
    if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH) return `${where}: path must name a subscription, e.g. "market.onPrices"`;
    if (lastEventId !== null && (typeof lastEventId !== 'string' || lastEventId.length > MAX_ID_LENGTH)) {
      return `${where}: lastEventId must be the id of an event received (a string), or absent`;
    }
    const key = muxKey(id as MuxSubscriptionId);
    if (seen.has(key)) return `${where}: id ${JSON.stringify(id)} appears twice`;
    seen.add(key);
    subscriptions.push({ id: id as MuxSubscriptionId, path, input, lastEventId: lastEventId as string | null });
  }
  for (const [i, id] of unsubscribe.entries()) {
    const problem = idProblem(id, `unsubscribe[${i}]`);
    if (problem) return problem;
  }
  return { stream, subscribe: subscriptions, unsubscribe: unsubscribe as MuxSubscriptionId[] };
}
