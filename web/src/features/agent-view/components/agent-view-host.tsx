import { lazy, useCallback, useRef, useState, type ReactNode } from 'react';
import { LazyPart } from '../../../components/ui/lazy-part';
import { AgentViewContext } from '../../../lib/agent-view-link';

// Loaded on the first open: the first page load does not carry it.
const AgentViewDialog = lazy(() => import('./agent-view-dialog').then((module) => ({ default: module.AgentViewDialog })));

/**
 * Lets any panel open an agent's view (`useOpenAgentView`): one dialog at a time, and focus back on
 * the element that opened it when it closes.
 */
export function AgentViewHost({ children }: { children: ReactNode }) {
  const [agentId, setAgentId] = useState<string | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const open = useCallback((id: string) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setAgentId(id);
  }, []);
  const close = useCallback(() => {
    setAgentId(null);
    const element = opener.current;
    opener.current = null;
    if (element?.isConnected) element.focus();
  }, []);
  return (
    <AgentViewContext.Provider value={open}>
      {children}
      {agentId !== null ? (
        <LazyPart what="The agent view" fallback={null}>
          <AgentViewDialog key={agentId} agentId={agentId} onClose={close} />
        </LazyPart>
      ) : null}
    </AgentViewContext.Provider>
  );
}
