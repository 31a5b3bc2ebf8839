import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contextFactory, DEFAULT_LIMITS, type Context } from '../../context';
import { createCallerBudgets } from '../../limits/caller-budgets';
import { createLimitCounters } from '../../limits/counters';
import { AuditLog } from '../../persist/audit-log';
import { createLogger } from '../../observability/logger';
import { appRouter } from '../../root';
import { Simulator } from '../../sim/simulator';
import { localExecutor } from '../../store/commands';
import { createDesk, type Desk } from '../../store/desk';
import { defaultTradeLimits } from '../../store/trade-limits';
import type { Delivered } from './client';
import type { Settings } from './commands';
import { fillDisk } from './disk';
import { PresenceRegistry } from '../../presence/registry';
import { deskOptions, type DeskTarget } from './target';

const immediate = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A desk in this process, with a SQLite journal in `dir`, driven through the app router's own
 * procedures (`createCaller`: input validation, idempotency, the real subscription generators).
 */
export function localDesk(settings: Settings, dir: string): DeskTarget {
  const path = join(dir, 'desk.db');
  let desk!: Desk;
  let createContext!: ReturnType<typeof contextFactory>;
  let delivered = 0;
  const live = new Set<AbortController>();
  // What a context is made from over HTTP: no token (the desk has no authentication), one address.
  const req = { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
  const res = { writableLength: 0 } as unknown as ServerResponse;

  function context(): Context {
    return createContext({ req, res, info: { connectionParams: null } });
  }

  function procedure(path: string, signal?: AbortSignal): (input: unknown) => Promise<unknown> {
    let node: any = appRouter.createCaller(context(), signal ? { signal } : undefined);
    for (const part of path.split('.')) node = node[part];
    return node;
  }

  const target: DeskTarget = {
    get desk() {
      return desk;
    },
    mutate: (path, input) => procedure(path)(input),
    subscribe(path, input, onData, onError) {
      const abort = new AbortController();
      live.add(abort);
      void (async () => {
        const iterable = (await procedure(path, abort.signal)(input)) as AsyncIterable<unknown>;
        for await (const envelope of iterable) {
          // A tracked envelope is [id, data, symbol]; tRPC's clients receive { id, data }.
          const [id, data] = envelope as [string, Delivered['data']];
          delivered++;
          onData({ id, data });
        }
      })().catch((error) => {
        if (!abort.signal.aborted) onError(error);
      });
      return () => {
        live.delete(abort);
        abort.abort();
      };
    },
    async settle() {
      let quiet = 0;
      for (let round = 0; round < 50 && quiet < 2; round++) {
        const before = delivered;
        await immediate();
        quiet = delivered === before ? quiet + 1 : 0;
      }
    },
    async stop(crash) {
      for (const abort of live) abort.abort();
      live.clear();
      await target.settle();
      const journal = desk.journal!;
      try {
        if (!crash) journal.close();
      } finally {
        if (journal.db.open) journal.db.close();
      }
    },
    async start() {
      desk = createDesk(deskOptions(settings, path));
      // As the app starts it (without its timer: the model writes the later ones itself).
      desk.replay!.checkpointer.write();
      const commands = localExecutor(desk);
      // As the app wires them (server/app.ts): the audit log shares the journal's transactions.
      const audit = new AuditLog(desk.journal!.db, { instance: null });
      // The test's client is the only caller: no rate limit may refuse it.
      const limits = { ...DEFAULT_LIMITS, maxSubscriptions: 10_000, mutationsPerSecond: 1e9, mutationBurst: 1e9, callerRequestsPerSecond: 1e9, callerRequestBurst: 1e9 };
      desk.journal!.withMutation = (_path, answer, scope) => audit.inTransaction(scope, answer);
      createContext = contextFactory({
        desk,
        sim: new Simulator(desk, { executor: commands }),
        commands,
        highWaterMark: 1 << 30,
        connections: () => 0,
        auth: null,
        isRevoked: () => false,
        trackSession: () => {},
        audit,
        tradeLimits: defaultTradeLimits,
        limits,
        rejected: createLimitCounters(),
        log: createLogger('silent'),
        onMutation: () => {},
        connectionOf: () => undefined,
        clientAddress: () => '127.0.0.1',
        callerBudgets: createCallerBudgets(limits.callerRequestsPerSecond, limits.callerRequestBurst),
        presence: new PresenceRegistry({ instance: null }),
      });
    },
    fillDisk: (disk) => fillDisk(desk, disk),
    resumesItself: false,
    close() {},
  };
  return target;
}
