/**
 * The model-based test of `invariants.test.ts` through the real server and the real tRPC client:
 * mutations over HTTP, every subscription over one WebSocket (the desk transport, then tRPC's
 * stock adapter), restarts on the same port with the client reconnecting and resuming by itself.
 * Here the health readings flow too: they must carry no event id and name an id the desk issued.
 * Fewer runs: each step crosses real sockets. Replay and scale as there (FC_SEED, FC_PATH, FC_RUNS).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from '@fast-check/vitest';
import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import { commandsArb, settingsArb, type Cmd, type Features, type Settings } from './model/commands';
import { coverage, ModelRun } from './model/run';
import { wsDesk } from './model/ws-desk';

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const path = process.env.FC_PATH;
const scale = Number(process.env.FC_RUNS ?? 100) / 100;
const timeoutMs = 120_000 * Math.max(1, scale * 2);
const fcParams = (numRuns: number) => ({
  numRuns: Math.max(1, Math.round(numRuns * scale)),
  ...(seed === undefined ? {} : { seed }),
  ...(path === undefined ? {} : { path }),
});

const features: Features = { fullDisk: true, bulkRows: false, trimming: true };

afterAll(() => {
  if (process.env.FC_STATS) console.log(`coverage over every run: ${JSON.stringify(coverage)}`);
});

for (const transport of ['desk', 'stock'] as const) {
  describe(`the real server and client (${transport} transport) against the reference model`, () => {
    let previous: string | undefined;
    beforeEach(() => {
      previous = process.env.DESK_WS_TRANSPORT;
      process.env.DESK_WS_TRANSPORT = transport;
    });
    afterEach(() => {
      if (previous === undefined) delete process.env.DESK_WS_TRANSPORT;
      else process.env.DESK_WS_TRANSPORT = previous;
    });

    it.prop([settingsArb(features), commandsArb(20, features)], fcParams(transport === 'desk' ? 14 : 8))(
      'keeps views, ids and acknowledged mutations consistent through restarts, crashes, pruning and a full disk',
      async (settings: Settings, cmds: Cmd[]) => {
        const dir = mkdtempSync(join(tmpdir(), 'invariants-ws-'));
        try {
          await new ModelRun(wsDesk(settings, dir), settings).run(cmds);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      timeoutMs,
    );
  });
}
