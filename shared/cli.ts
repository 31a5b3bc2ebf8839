import { parseCli, USAGE, UsageError, type CliArgs, type CliCommand } from './cli-args';
import { connectionFailure, describe, errorLine, formatDuration } from './cli-output';
import { createDeskClient, type DeskClient } from './node';
import { sseMux } from './sse-mux';
import type { StreamMessage } from './schema/stream';

type Procedure = {
  query(input: unknown, opts?: { signal?: AbortSignal }): Promise<unknown>;
  mutate(input: unknown, opts?: { signal?: AbortSignal }): Promise<unknown>;
  subscribe(input: unknown, handlers: Record<string, (...args: never[]) => void>): { unsubscribe(): void };
};

function procedure(desk: DeskClient, path: string): Procedure {
  const [router, name] = path.split('.') as [string, string];
  return (desk.api as unknown as Record<string, Record<string, Procedure>>)[router]![name]!;
}

/** Runs one command line and returns the process's exit code: 0 done, 1 error, 2 usage. */
async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`usage error: ${error.message}`);
    return 2;
  }
  const { command } = args;
  if (command.name === 'help') {
    console.log(USAGE);
    return 0;
  }
  // Queries and mutations travel over HTTP either way; only `watch` needs a socket, so the other
  // commands do not open one (nor wait on one to a dead URL).
  const desk = createDeskClient({ url: args.url, token: args.token, transport: command.name !== 'watch' ? 'sse' : args.transport === 'sse-mux' ? sseMux() : args.transport });
  try {
    return command.name === 'watch' ? await watch(desk, command, args) : await once(desk, command, args);
  } finally {
    desk.close();
  }
}

/** A query or mutation, printed as JSON, given up after `--timeout`. */
async function once(desk: DeskClient, command: Exclude<CliCommand, { name: 'help' | 'watch' }>, args: CliArgs): Promise<number> {
  const abort = new AbortController();
  const timeoutMs = args.timeoutMs!;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const fn = procedure(desk, command.path);
  const call = command.name === 'call' && command.kind === 'query' ? fn.query(command.input, { signal: abort.signal }) : fn.mutate(command.input, { signal: abort.signal });
  try {
    const result = await Promise.race([call, timedOut]);
    if (result === 'timeout') {
      abort.abort();
      console.error(`error: no answer from ${args.url} within ${formatDuration(timeoutMs)} (--timeout)`);
      return 1;
    }
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    console.error(errorLine(error, args.url));
    return 1;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Prints a stream's updates until `--count` lines, `--timeout` or a refusal. While the desk cannot
 * be reached it says so on stderr and the client keeps reconnecting with backoff.
 */
function watch(desk: DeskClient, command: Extract<CliCommand, { name: 'watch' }>, args: CliArgs): Promise<number> {
  return new Promise((resolve) => {
    let printed = 0;
    let started = false;
    let unreachable: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (code: number, message?: string) => {
      clearTimeout(timer);
      sub.unsubscribe();
      if (message) console.error(message);
      resolve(code);
    };
    const sub = procedure(desk, command.path).subscribe(command.input, {
      onStarted() {
        started = true;
        if (unreachable !== undefined) console.error(`watch: connected to ${args.url}`);
        unreachable = undefined;
      },
      // Derived streams (health, stats) send bare messages without an event id.
      onData(received: { id: string; data: StreamMessage<unknown> } | StreamMessage<unknown>) {
        const [id, data] = 'type' in received ? [null, received] : [received.id, received.data];
        for (const line of describe(command.stream, data)) {
          console.log(id === null ? line : `${line}  #${id}`);
          if (++printed === command.count) return finish(0);
        }
      },
      onError(error: unknown) {
        finish(1, errorLine(error, args.url));
      },
      onConnectionStateChange(state: { state: string; error: unknown }) {
        if (state.state === 'connecting' && state.error) {
          // Once per outage, not once per attempt: the client retries with backoff on its own.
          if (unreachable === undefined) console.error(`watch: cannot reach ${args.url} (${connectionFailure(state.error)}); retrying with backoff`);
          unreachable = connectionFailure(state.error);
        } else if (state.state === 'pending' && unreachable !== undefined && started) {
          console.error(`watch: connected to ${args.url}`);
          unreachable = undefined;
        }
      },
    });
    if (args.timeoutMs !== undefined) {
      const after = formatDuration(args.timeoutMs);
      timer = setTimeout(() => {
        if (!started) finish(1, `error: cannot reach ${args.url} within ${after} (--timeout)`);
        else if (command.count !== undefined) finish(1, `error: ${printed} of ${command.count} lines within ${after} (--timeout)`);
        else finish(0);
      }, args.timeoutMs);
    }
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
