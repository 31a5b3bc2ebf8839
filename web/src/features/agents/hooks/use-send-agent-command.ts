import { trpc } from '../../../lib/trpc';

/** Sends an operator's command (pause, resume, flatten, cancel a task) to an agent. */
export function useSendAgentCommand() {
  return trpc.agents.sendCommand.useMutation();
}
