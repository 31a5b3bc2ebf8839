import type { Desk } from '../store/desk';
import type { CommandExecutor } from '../store/commands';

export interface CommandTimeoutsOptions {
  /** How long an agent has to answer a command before it is marked `timedOut`. */
  timeoutMs: number;
  /** How often unanswered commands are checked. @default a quarter of `timeoutMs`, 250 ms to 5 s */
  checkEveryMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Marks commands nobody answered in time as `timedOut`, through the ordinary command path so the
 * change is journaled (and, in a cluster, logged once for every instance: each instance's sweep
 * may send it, the second finds the command settled and changes nothing).
 */
export function createCommandTimeouts(desk: Desk, commands: CommandExecutor, options: CommandTimeoutsOptions) {
  const every = options.checkEveryMs ?? Math.min(5000, Math.max(250, options.timeoutMs / 4));
  const inFlight = new Set<string>();
  let timer: ReturnType<typeof setInterval> | null = null;

  function sweep(): void {
    for (const command of desk.agentCommands.overdue(Date.now() - options.timeoutMs)) {
      if (inFlight.has(command.id)) continue;
      inFlight.add(command.id);
      commands
        .execute('agents.expireCommand', { id: command.id, afterMs: options.timeoutMs }, `expire:${command.id}`)
        .catch((error) => options.onError?.(error))
        .finally(() => inFlight.delete(command.id));
    }
  }

  return {
    start(): void {
      timer ??= setInterval(sweep, every);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
    sweep,
  };
}
