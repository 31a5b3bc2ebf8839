import type { RequestId } from './frames';
import { OneOrMany } from './one-or-many';

/** A subscription that knows its own request id (a desk stream's, from its frame head). */
export interface OwnId {
  readonly requestId: RequestId;
}

/**
 * A connection's live subscriptions by request id, in its one field: none (null); one desk stream,
 * which carries its own request id and so needs no map at all; or a `OneOrMany` once there is a
 * second, or a subscription run as the stock adapter runs it (an `AbortController`, which does
 * not know its id). An idle connection with one stream holds no record for the table (a
 * `OneOrMany` is 56 B).
 */
export type Lives<S extends OwnId> = S | OneOrMany<RequestId, S | AbortController> | null;

const isMap = <S extends OwnId>(lives: Lives<S>): lives is OneOrMany<RequestId, S | AbortController> => lives instanceof OneOrMany;

/** The subscription under `id`, if any. */
export function liveOf<S extends OwnId>(lives: Lives<S>, id: RequestId): S | AbortController | undefined {
  if (lives === null) return undefined;
  if (isMap(lives)) return lives.get(id);
  return lives.requestId === id ? lives : undefined;
}

/** `lives` with `live` under `id` (replacing what was there): what the field holds now. */
export function withLive<S extends OwnId>(lives: Lives<S>, id: RequestId, live: S | AbortController): Lives<S> {
  if (!(live instanceof AbortController) && live.requestId === id && (lives === null || (!isMap(lives) && lives.requestId === id))) return live;
  if (lives !== null && isMap(lives)) {
    lives.set(id, live);
    return lives;
  }
  const map = new OneOrMany<RequestId, S | AbortController>();
  if (lives !== null) map.set(lives.requestId, lives);
  map.set(id, live);
  return map;
}

/** `lives` without what is under `id`: what the field holds now. */
export function withoutLive<S extends OwnId>(lives: Lives<S>, id: RequestId): Lives<S> {
  if (lives === null) return null;
  if (isMap(lives)) {
    lives.delete(id);
    return lives;
  }
  return lives.requestId === id ? null : lives;
}

/** Every live subscription, in the order they came (a snapshot: stopping them while iterating is safe). */
export function livesIn<S extends OwnId>(lives: Lives<S>): Array<S | AbortController> {
  if (lives === null) return [];
  return isMap(lives) ? lives.values() : [lives];
}
