import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startApp, type App, type AppOptions } from '../app';
import type { DeskClient, DeskClientOptions } from '../../shared/client';
import { createDeskClient } from '../../shared/node';
import { startRedis, type RedisServer } from './redis-server';

type ClusterOptions = NonNullable<AppOptions['cluster']>;
/** App options whose `cluster` part is merged over the shared Redis url and prefix. */
export type InstanceOptions = Omit<AppOptions, 'cluster'> & { cluster?: Partial<ClusterOptions> };

export interface ClusterFixtureOptions {
  /** Start of the stream keys' prefix; the time is appended so runs never share a log. */
  prefix: string;
  /**
   * Options of every instance `instance()` starts (the simulator is off unless set here). Their
   * `cluster` is merged over the shared Redis url and prefix.
   */
  app?: InstanceOptions;
  /** Options of every client `clientOf()` makes. */
  client?: Partial<DeskClientOptions>;
}

/**
 * A real redis-server for the enclosing `describe`, and instances in cluster mode on it, with the
 * clients made to them. Registers the `beforeAll` that starts Redis and the `afterAll` that closes
 * the clients, stops the instances, runs what was handed to `defer()`, closes `inspect()` and stops
 * Redis. Call it inside the `describe`; `redis` can be read once the tests run.
 */
export function useCluster(options: ClusterFixtureOptions) {
  let redis: RedisServer | undefined;
  const prefix = `${options.prefix}${Date.now()}`;
  const apps: App[] = [];
  const clients: DeskClient[] = [];
  const deferred: Array<() => unknown> = [];
  let inspect: Redis | undefined;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const app of apps) await app.stop();
    for (const close of deferred) await close();
    inspect?.disconnect();
    await redis?.stop();
  });

  const fixture = {
    /** The Redis all instances share. */
    get redis(): RedisServer {
      if (!redis) throw new Error('useCluster: Redis is started in beforeAll; read it from a hook or a test');
      return redis;
    },
    prefix,
    /** Every instance started through the fixture, in start order. */
    apps,
    /** The cluster options of an instance: the shared Redis and prefix, the fixture's, then `extra`. */
    clusterOptions(extra: Partial<ClusterOptions> = {}): ClusterOptions {
      return { url: fixture.redis.url, prefix, ...options.app?.cluster, ...extra };
    },
    /** Starts an instance in cluster mode; it is stopped after the suite. */
    async instance(extra: InstanceOptions = {}): Promise<App> {
      const app = await startApp({
        sim: { enabled: false },
        ...options.app,
        ...extra,
        cluster: fixture.clusterOptions(extra.cluster),
      });
      apps.push(app);
      return app;
    },
    /** A client of `app` over a real WebSocket; closed after the suite. */
    clientOf(app: App, extra: Partial<DeskClientOptions> = {}) {
      return fixture.client({ url: app.url, ...extra }).api;
    },
    /** A client with options of its own (e.g. the url of a spawned instance); closed after the suite. */
    client(clientOptions: DeskClientOptions): DeskClient {
      const client = createDeskClient({ ...options.client, ...clientOptions });
      clients.push(client);
      return client;
    },
    /** A Redis connection of the test's own, to read what the instances wrote; opened on first use. */
    inspect(): Redis {
      inspect ??= new Redis(fixture.redis.url);
      return inspect;
    },
    /** Runs `close` after the instances stop and before Redis does. */
    defer(close: () => unknown): void {
      deferred.push(close);
    },
  };
  return fixture;
}
export type ClusterFixture = ReturnType<typeof useCluster>;
