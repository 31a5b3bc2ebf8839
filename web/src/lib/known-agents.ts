import { skipToken, useQuery } from '@tanstack/react-query';
import type { Agent } from '../../../shared/index';
import { streamMaxHz } from './config';
import { liveKey } from './live-key';

/** The input of the dashboard's one `agents.onAgents` subscription (the Agents panel's). */
export const agentsStreamInput = { maxHz: streamMaxHz.agents };
/** Where that subscription's rows live in the query cache. */
export const agentsLiveKey = liveKey('agents.onAgents', agentsStreamInput);

/**
 * Whether `id` names an agent the desk lists, read from the agents the dashboard already holds
 * (no request of its own). False until that list has arrived.
 */
export function useKnownAgent(id: string): boolean {
  const query = useQuery<Agent[]>({ queryKey: agentsLiveKey, queryFn: skipToken, staleTime: Infinity, gcTime: 60_000 });
  return query.data?.some((a) => a.id === id) ?? false;
}
