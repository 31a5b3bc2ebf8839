import { createContext, useContext } from 'react';

/** Opens the agent view of an agent; the element that asked gets focus back when it closes. */
export type OpenAgentView = (agentId: string) => void;

/** Provided by the agent view's host (features/agent-view); a no-op outside it. */
export const AgentViewContext = createContext<OpenAgentView>(() => {});

/** The function that opens an agent's view, for any panel that names an agent. */
export function useOpenAgentView(): OpenAgentView {
  return useContext(AgentViewContext);
}
