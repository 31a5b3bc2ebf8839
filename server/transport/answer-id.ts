/** What one outgoing frame of tRPC's adapter says about the request it answers. */
export interface AnswerOf {
  /** The request id as it is written in the frame (`JSON.stringify(id)`). */
  key: string;
  /** `started` / `stopped` / `data` for a result, `error` for an error. */
  kind: 'started' | 'stopped' | 'data' | 'error' | 'other';
}

const HEAD = '{"id":';
const RPC = ',"jsonrpc":"2.0"';

/**
 * Reads the request id and the kind of answer from the start of a frame tRPC's ws adapter sends
 * (`{"id":<id>[,"jsonrpc":"2.0"],"result":{"type":…}|"error":…}`: the adapter writes the id first),
 * looking at the id and a few bytes after it, never at the payload. Null for frames without an id
 * (`PING`, `{"id":null,…}`, the reconnect notice).
 */
export function answerOf(frame: string): AnswerOf | null {
  if (!frame.startsWith(HEAD)) return null;
  let end: number;
  if (frame.charCodeAt(6) === 34) {
    // A string id: up to its closing quote, past escapes.
    end = 7;
    for (;;) {
      if (end >= frame.length) return null;
      const c = frame.charCodeAt(end);
      if (c === 92) end += 2;
      else if (c === 34) break;
      else end++;
    }
    end++;
  } else {
    end = frame.indexOf(',', 6);
    if (end < 0) return null;
  }
  const key = frame.slice(6, end);
  if (key === 'null') return null;
  let at = frame.startsWith(RPC, end) ? end + RPC.length : end;
  if (frame.startsWith(',"error":', at)) return { key, kind: 'error' };
  if (!frame.startsWith(',"result":{"type":"', at)) return { key, kind: 'other' };
  at += ',"result":{"type":"'.length;
  const kind = frame.startsWith('data"', at) ? 'data' : frame.startsWith('started"', at) ? 'started' : frame.startsWith('stopped"', at) ? 'stopped' : 'other';
  return { key, kind };
}
