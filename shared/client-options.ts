/** The options `createDeskClient` checks before it connects (a subset of `DeskClientOptions`). */
interface CheckedOptions {
  url: unknown;
  transport?: unknown;
  WebSocket?: unknown;
  EventSource?: unknown;
  mutationRetries?: unknown;
  limits?: unknown;
}

/** The least `limits` may say of the desk's frame and body: an input's envelope must fit with room to spare. */
const MIN_LIMIT_BYTES = 4_096;

/**
 * What is wrong with a client's options, as a sentence naming the option and what to do, or null.
 * `globals` is where a WebSocket or EventSource would be found when none is passed.
 */
export function deskClientOptionsProblem(options: CheckedOptions, globals: object = globalThis): string | null {
  const { url, transport = 'ws', mutationRetries } = options;
  if (typeof url !== 'string' || !/^https?:\/\/[^/]/i.test(url)) {
    return `url must be the desk's http:// or https:// address (e.g. http://127.0.0.1:3000), not ${JSON.stringify(url) ?? String(url)}`;
  }
  if (transport === 'sse-mux') return "transport 'sse-mux' is in its own entry: `import { sseMux } from '@livedesk/client/sse-mux'`, then `{ transport: sseMux() }`";
  const isTransport = typeof transport === 'object' && transport !== null && typeof (transport as { connect?: unknown }).connect === 'function';
  if (transport !== 'ws' && transport !== 'sse' && !isTransport) {
    return `transport must be 'ws', 'sse' or a transport such as sseMux() from @livedesk/client/sse-mux, not ${JSON.stringify(transport) ?? String(transport)}`;
  }
  if (transport === 'ws' && options.WebSocket === undefined && typeof (globals as { WebSocket?: unknown }).WebSocket !== 'function') {
    return "this runtime has no WebSocket: pass one (`import WebSocket from 'ws'`, then `{ WebSocket }`) or use createDeskClient from @livedesk/client/node";
  }
  if (transport !== 'ws' && options.EventSource === undefined && typeof (globals as { EventSource?: unknown }).EventSource !== 'function') {
    return "this runtime has no EventSource: pass one (`import { EventSource } from 'eventsource'`) or use createDeskClient from @livedesk/client/node";
  }
  if (mutationRetries !== undefined && !(Number.isInteger(mutationRetries) && (mutationRetries as number) >= 0)) {
    return `mutationRetries must be a whole number of retries, 0 or more, not ${String(mutationRetries)}`;
  }
  if (options.limits !== undefined) {
    if (typeof options.limits !== 'object' || options.limits === null) return `limits must be { maxFrameBytes, maxBodyBytes }, not ${JSON.stringify(options.limits) ?? String(options.limits)}`;
    for (const name of ['maxFrameBytes', 'maxBodyBytes'] as const) {
      const bytes = (options.limits as Record<string, unknown>)[name];
      if (bytes !== undefined && !(Number.isInteger(bytes) && (bytes as number) >= MIN_LIMIT_BYTES)) {
        return `limits.${name} must be the desk's limit in bytes, a whole number of at least ${MIN_LIMIT_BYTES}, not ${String(bytes)}`;
      }
    }
  }
  return null;
}
