import { join } from 'node:path';
import { startApp, type App } from '../../app';
import { createDeskClient, type DeskClient } from '../../../shared/node';
import { freePort } from '../../net/free-port';
import type { Settings } from './commands';
import type { Delivered } from './client';
import { fillDisk } from './disk';
import { deskOptions, type DeskTarget } from './target';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The real server (`startApp`) on a fixed loopback port with its SQLite journal in `dir`, driven
 * by the real tRPC client: mutations over HTTP, subscriptions over one WebSocket. On a restart the
 * client reconnects by itself and resumes every subscription from the last id it received.
 */
export function wsDesk(settings: Settings, dir: string): DeskTarget {
  const path = join(dir, 'desk.db');
  let app!: App;
  let port = 0;
  let client: DeskClient | null = null;
  let delivered = 0;
  const subscriptions = new Set<{ unsubscribe(): void }>();

  /** The client's procedure at `path` (tRPC's client is a proxy: walk it, then call). */
  const procedure = (path: string): any => {
    let node: any = client!.api;
    for (const part of path.split('.')) node = node[part];
    return node;
  };

  const target: DeskTarget = {
    get desk() {
      return app.desk;
    },
    mutate: (path, input) => procedure(path).mutate(input),
    subscribe(path, input, onData, onError) {
      const subscription = procedure(path).subscribe(input, {
        onData: (message: Delivered) => {
          delivered++;
          onData(message);
        },
        onError,
      }) as { unsubscribe(): void };
      subscriptions.add(subscription);
      return () => {
        subscriptions.delete(subscription);
        subscription.unsubscribe();
      };
    },
    async settle() {
      // Deliveries travel over a real socket: wait until nothing has arrived for a while.
      let quiet = 0;
      for (let round = 0; round < 200 && quiet < 3; round++) {
        const before = delivered;
        await sleep(5);
        quiet = delivered === before ? quiet + 1 : 0;
      }
    },
    async stop(crash) {
      await target.settle();
      // A crash: the database is closed under the server, so nothing more reaches the disk.
      if (!crash) return app.stop();
      app.desk.journal!.db.close();
      await app.stop().catch(() => {});
    },
    async start() {
      port ||= await freePort();
      app = await startApp({
        port,
        desk: deskOptions(settings, path),
        statsIntervalMs: 3_600_000,
        limits: { mutationsPerSecond: 1e6, mutationBurst: 1e6, maxSubscriptions: 1000, callerRequestsPerSecond: 1e6, callerRequestBurst: 1e6 },
      });
      client ??= createDeskClient({ url: app.url, retryDelayMs: () => 20, mutationRetries: 0 });
    },
    fillDisk: (disk) => fillDisk(app.desk, disk),
    resumesItself: true,
    close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
      client?.close();
    },
  };
  return target;
}
