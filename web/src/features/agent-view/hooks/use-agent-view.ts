import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useReplayMode } from '../../../lib/session-context';
import { trpc } from '../../../lib/trpc';
import { agentViewMoment } from '../agent-view-moment';

/** How often an open agent view asks again (its figures move with every trade, and with a playing replay). */
const REFRESH_MS = 2_000;

/**
 * One agent's view (`agents.view`): status history, tasks, runs, decisions with trades,
 * performance; while the desk replays its past, as of the replay's moment (`at`).
 */
export function useAgentView(agentId: string) {
  const utils = trpc.useUtils();
  const mode = useReplayMode();
  // Read when the query runs, which may be long after this render: the mode as it is then.
  const ref = useRef(mode);
  ref.current = mode;
  const replayKey = mode ? `replay:${mode.startedAt}:${String(mode.from)}:${mode.speed}` : 'live';
  return useQuery({
    queryKey: ['agents.view', agentId, replayKey],
    queryFn: () => utils.client.agents.view.query({ agentId, at: agentViewMoment(ref.current, Date.now()) }),
    // A held replay's moment does not move: nothing to ask again.
    refetchInterval: mode?.speed === 0 ? false : REFRESH_MS,
    retry: false,
  });
}
