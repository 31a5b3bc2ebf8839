import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '../../../../../shared/index';
import { trpc } from '../../../lib/trpc';
import type { ControlFormId } from '../forms';

type Inputs = inferRouterInputs<AppRouter>;
type Send = (input: Record<string, unknown>) => Promise<string>;

const sent = (r: { eventId: string | null }) => (r.eventId === null ? 'no change' : `sent · event ${r.eventId}`);

/**
 * What each control form calls. The form's values go to the server as typed: the server's
 * validation is the one that counts, and its messages come back next to the fields.
 */
export function useControlActions(): { forms: Record<ControlFormId, Send>; simulator: (input: Record<string, unknown>) => Promise<string> } {
  const { client } = trpc.useUtils();
  return {
    forms: {
      trade: async (i) => sent(await client.market.executeTrade.mutate(i as Inputs['market']['executeTrade'])),
      tick: async (i) => sent(await client.market.setPrice.mutate(i as Inputs['market']['setPrice'])),
      decision: async (i) => sent(await client.agents.recordDecision.mutate(i as Inputs['agents']['recordDecision'])),
      'agent-status': async (i) => sent(await client.agents.setStatus.mutate(i as Inputs['agents']['setStatus'])),
      task: async (i) => sent(await client.agents.upsertTask.mutate(i as Inputs['agents']['upsertTask'])),
      workflow: async (i) => sent(await client.agents.workflowStep.mutate(i as Inputs['agents']['workflowStep'])),
      rule: async (i) => sent(await client.alerts.createRule.mutate(i as Inputs['alerts']['createRule'])),
      signal: async (i) => sent(await client.feeds.publishSignal.mutate(i as Inputs['feeds']['publishSignal'])),
      notification: async (i) => sent(await client.feeds.pushNotification.mutate(i as Inputs['feeds']['pushNotification'])),
      'system-alert': async (i) => sent(await client.feeds.raiseSystemAlert.mutate(i as Inputs['feeds']['raiseSystemAlert'])),
      metrics: async (i) => {
        const r = await client.feeds.recordMetrics.mutate(i as Inputs['feeds']['recordMetrics']);
        return r.eventId === null ? `buffered (${r.pending} pending)` : `sent · event ${r.eventId}`;
      },
      custom: async (i) => sent(await client.feeds.broadcastCustom.mutate(i as Inputs['feeds']['broadcastCustom'])),
    },
    simulator: async (i) => {
      const s = await client.system.controlSimulator.mutate(i as Inputs['system']['controlSimulator']);
      return `${s.running ? 'running' : 'stopped'} · ${s.ticksPerSecond} ticks/s · ${s.symbols.length} symbols`;
    },
  };
}
