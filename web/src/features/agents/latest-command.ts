import type { AgentCommand } from '../../../../shared/index';

/** Each agent's newest command (by when it was sent), the one whose state its row shows. */
export function latestCommandByAgent(commands: readonly AgentCommand[]): Map<string, AgentCommand> {
  const latest = new Map<string, AgentCommand>();
  for (const command of commands) {
    const current = latest.get(command.agentId);
    if (!current || command.sentAt > current.sentAt || (command.sentAt === current.sentAt && command.id > current.id)) latest.set(command.agentId, command);
  }
  return latest;
}

const KIND_LABEL = { pause: 'pause', resume: 'resume', flatten: 'flatten', cancelTask: 'cancel task' } as const;
const STATE_LABEL = { sent: 'sent', acknowledged: 'acknowledged', rejected: 'rejected', timedOut: 'timed out' } as const;

/** "pause: acknowledged (paused)": what a command asked and where it stands. */
export function describeCommand(command: AgentCommand): string {
  const base = `${KIND_LABEL[command.kind]}: ${STATE_LABEL[command.state]}`;
  return command.message && command.state !== 'timedOut' ? `${base} (${command.message})` : base;
}
