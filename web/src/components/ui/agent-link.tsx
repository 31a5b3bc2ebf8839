import type { ComponentProps } from 'react';
import { useOpenAgentView } from '../../lib/agent-view-link';
import { useKnownAgent } from '../../lib/known-agents';

export interface AgentLinkProps extends Omit<ComponentProps<'button'>, 'children' | 'type'> {
  agentId: string;
  /** What it shows. @default agentId */
  label?: string;
  className?: string;
  /**
   * For a field that may or may not name an agent (a signal's `source`): a link only when the desk
   * lists an agent of that id, plain text otherwise. @default false
   */
  ifKnown?: boolean;
}

/**
 * An agent's name that opens its agent view, wherever the dashboard names an agent: a button, so
 * it is reachable by keyboard and announced as opening a dialog. Inside a `RovingList` put it in
 * a `RovingItem asChild`: the list is then one tab stop, the arrow keys between its agents.
 */
export function AgentLink({ agentId, label = agentId, className, ifKnown = false, onClick, ...rest }: AgentLinkProps) {
  const open = useOpenAgentView();
  const known = useKnownAgent(agentId);
  if (ifKnown && !known) return <span className={className}>{label}</span>;
  return (
    <button
      // What a wrapper adds (a roving list's focus handling, its ref) goes to the button.
      {...rest}
      type="button"
      className={`agent-link${className ? ` ${className}` : ''}`}
      onClick={(event) => {
        onClick?.(event);
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
