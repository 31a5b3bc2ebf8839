import { startApp, type AppOptions } from '../app';
import { createDeskClient, type DeskClient } from '../../shared/node';
import type { DeskClientOptions } from '../../shared/client';

/** A real desk on an ephemeral port and real clients over real WebSockets, closed together. */
export async function startTestDesk(options: AppOptions = {}) {
  const app = await startApp({ port: 0, sim: { enabled: false }, ...options });
  const clients: DeskClient[] = [];
  return {
    app,
    client(extra: Partial<DeskClientOptions> = {}) {
      const client = createDeskClient({ url: app.url, ...extra });
      clients.push(client);
      return client.api;
    },
    async close() {
      for (const client of clients) client.close();
      await app.stop();
    },
  };
}
export type TestDesk = Awaited<ReturnType<typeof startTestDesk>>;

export interface Received<T> {
  id: string;
  data: T;
}

/** Collects what a subscription delivers and waits for conditions on it. */
export function collector<T>() {
  const messages: Received<T>[] = [];
  const errors: unknown[] = [];
  let listeners: Array<() => void> = [];
  return {
    messages,
    errors,
    onData(message: Received<T>) {
      messages.push(message);
      for (const listener of listeners) listener();
    },
    onError(error: unknown) {
      errors.push(error);
    },
    /** Resolves once `predicate` holds for what arrived, or rejects after `timeoutMs`. */
    until(predicate: (messages: Received<T>[]) => boolean, timeoutMs = 5000): Promise<void> {
      if (predicate(messages)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners = listeners.filter((l) => l !== check);
          reject(new Error(`condition not met in ${timeoutMs} ms; received ${messages.length}: ${JSON.stringify(messages.slice(-3))}`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(messages)) return;
          clearTimeout(timer);
          listeners = listeners.filter((l) => l !== check);
          resolve();
        };
        listeners.push(check);
      });
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` returns true, polling. */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await sleep(10);
  }
}
