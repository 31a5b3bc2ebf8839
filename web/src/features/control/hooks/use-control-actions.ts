import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '../../../../../shared/index';
import { useLive } from '../../../lib/live-context';
import { trpc } from '../../../lib/trpc';
import type { Confirmation } from '../../../components/ui/field-form';
import type { ControlFormId } from '../forms';

type Inputs = inferRouterInputs<AppRouter>;
type Send = (input: Record<string, unknown>) => Promise<Confirmation>;

/** The stream on screen that shows each form's change, for the "applied" confirmation. */
const SHOWN_IN: Partial<Record<ControlFormId, string>> = {
  trade: 'market.onTrades',
  tick: 'market.onPrices',
  decision: 'agents.onDecisions',
  'agent-status': 'agents.onAgents',
  task: 'agents.onTasks',
  workflow: 'agents.onWorkflows',
  rule: 'alerts.onRules',
  signal: 'feeds.onSignals',
  notification: 'feeds.onNotifications',
  'system-alert': 'feeds.onSystemAlerts',
};

/**
 * What each control form calls. The form's values go to the server as typed: the server's
 * validation is the one that counts, and its messages come back next to the fields.
 */
export function useControlActions(): { forms: Record<ControlFormId, Send>; simulator: (input: Record<string, unknown>) => Promise<string> } {
  const { client } = trpc.useUtils();
  const { applied } = useLive();
  /**
   * "applied" once the change is on screen (read-your-writes), else "sent"; the event id goes with
   * it for those who need it, not into the words.
   */
  const confirm = (form: ControlFormId) => async (r: { eventId: string | null }): Promise<Confirmation> => {
    if (r.eventId === null) return { text: 'no change', eventId: null };
    const stream = SHOWN_IN[form];
    const shown = stream ? await applied.waitFor(stream, r.eventId) : false;
    return { text: shown ? 'applied: on screen now' : 'sent: accepted by the desk', eventId: r.eventId };
  };
  return {
    forms: {
      trade: async (i) => confirm('trade')(await client.market.executeTrade.mutate(i as Inputs['market']['executeTrade'])),
      tick: async (i) => confirm('tick')(await client.market.setPrice.mutate(i as Inputs['market']['setPrice'])),
      decision: async (i) => confirm('decision')(await client.agents.recordDecision.mutate(i as Inputs['agents']['recordDecision'])),
      'agent-status': async (i) => confirm('agent-status')(await client.agents.setStatus.mutate(i as Inputs['agents']['setStatus'])),
      task: async (i) => confirm('task')(await client.agents.upsertTask.mutate(i as Inputs['agents']['upsertTask'])),
      workflow: async (i) => confirm('workflow')(await client.agents.workflowStep.mutate(i as Inputs['agents']['workflowStep'])),
      rule: async (i) => confirm('rule')(await client.alerts.createRule.mutate(i as Inputs['alerts']['createRule'])),
      signal: async (i) => confirm('signal')(await client.feeds.publishSignal.mutate(i as Inputs['feeds']['publishSignal'])),
      notification: async (i) => confirm('notification')(await client.feeds.pushNotification.mutate(i as Inputs['feeds']['pushNotification'])),
      'system-alert': async (i) => confirm('system-alert')(await client.feeds.raiseSystemAlert.mutate(i as Inputs['feeds']['raiseSystemAlert'])),
      metrics: async (i) => confirm('metrics')(await client.feeds.recordMetrics.mutate(i as Inputs['feeds']['recordMetrics'])),
      custom: async (i) => confirm('custom')(await client.feeds.broadcastCustom.mutate(i as Inputs['feeds']['broadcastCustom'])),
    },
    simulator: async (i) => {
      const s = await client.system.controlSimulator.mutate(i as Inputs['system']['controlSimulator']);
      return `${s.running ? 'running' : 'stopped'} · ${s.ticksPerSecond} ticks/s · ${s.symbols.length} symbols`;
    },
  };
}
