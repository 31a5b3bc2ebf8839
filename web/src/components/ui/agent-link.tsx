import { useOpenAgentView } from '../../lib/agent-view-link';

/** An agent's name that opens its agent view: a button, so it is reachable and announced as one. */
export function AgentLink({ agentId, label = agentId, className }: { agentId: string; label?: string; className?: string }) {
  const open = useOpenAgentView();
  return (
    <button
      type="button"
      className={`agent-link${className ? ` ${className}` : ''}`}
      onClick={(event) => {
        // Inside a row that reacts to clicks (a details summary), the click opens the view only.
        event.preventDefault();
        event.stopPropagation();
        open(agentId);
      }}
      aria-haspopup="dialog"
      title={`Open the agent view of ${agentId}`}
      data-testid={`agent-link-${agentId}`}
    >
      {label}
    </button>
  );
}
