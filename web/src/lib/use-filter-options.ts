import { trpc } from './trpc';

/** Known agents and symbols, to suggest in the filter inputs. */
export function useFilterOptions() {
  const agents = trpc.agents.agents.useQuery(undefined, { refetchInterval: 15_000 });
  const simulator = trpc.system.simulator.useQuery(undefined, { refetchInterval: 15_000 });
  return { agents: agents.data?.map((a) => a.id) ?? [], symbols: simulator.data?.symbols ?? [] };
}
