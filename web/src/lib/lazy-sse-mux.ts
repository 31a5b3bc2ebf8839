import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../../../shared/index';
import type { SseMuxClient, SseMuxClientOptions } from '../../../shared/sse-mux-client';

/**
 * The multiplexed SSE transport, loaded only by a page that asked for it (`?transport=sse`): the
 * stream's client and link are fetched with the first subscription, so a page on the WebSocket,
 * which is nearly every page, does not carry them in its first load. Subscriptions made while the
 * code is on its way wait for it; if it cannot be fetched, each of them ends with that error.
 */
export function lazySseMux(options: SseMuxClientOptions): { link: TRPCLink<AppRouter>; close(): void } {
  let client: SseMuxClient | null = null;
  let closed = false;
  let loading: Promise<typeof import('../../../shared/sse-mux')> | null = null;
  const load = () =>
    (loading ??= import('../../../shared/sse-mux').then((module) => {
      if (!closed) client ??= module.createSseMuxClient(options);
      return module;
    }));
  const link: TRPCLink<AppRouter> = (runtime) => ({ op, next }) =>
    observable((observer) => {
      let stopped = false;
      let inner: { unsubscribe(): void } | null = null;
      load().then(
        (module) => {
          if (stopped) return;
          if (!client) return observer.error(TRPCClientError.from(new Error('the SSE stream was closed')));
          inner = module.sseMuxLink<AppRouter>({ client })(runtime)({ op, next }).subscribe(observer);
        },
        (error: unknown) => {
          if (!stopped) observer.error(TRPCClientError.from(error instanceof Error ? error : new Error(String(error))));
        },
      );
      return () => {
        stopped = true;
        inner?.unsubscribe();
      };
    });
  return {
    link,
    close() {
      closed = true;
      client?.close();
    },
  };
}
