import { trpc } from '../../../lib/trpc';

/** How often an open agent view asks again (its figures move with every trade). */
const REFRESH_MS = 2_000;

/** One agent's view (`agents.view`): status history, tasks, runs, decisions with trades, performance. */
export function useAgentView(agentId: string) {
  return trpc.agents.view.useQuery({ agentId }, { refetchInterval: REFRESH_MS, retry: false });
}
