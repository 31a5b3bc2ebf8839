import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

type Handler = (args: Record<string, unknown>) => unknown;

/** Child side: answers `{ id, cmd, ...args }` requests from the parent with `{ id, result | error }`. */
export function serveRequests(handlers: Record<string, Handler>): void {
  process.on('message', async (raw) => {
    const { id, cmd, ...args } = raw as { id: number; cmd: string };
    try {
      const handler = handlers[cmd];
      if (!handler) throw new Error(`unknown command ${cmd}`);
      process.send!({ id, result: await handler(args) });
    } catch (error) {
      process.send!({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // The parent owns the lifetime: when it goes, so does this process.
  process.on('disconnect', () => process.exit(0));
}

/** A bench child process and a typed way to ask it things. */
export interface Proc {
  name: string;
  child: ChildProcess;
  request<R = unknown>(cmd: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<R>;
  kill(): void;
  /** Resolves with what the child announced once it is ready for requests. */
  ready: Promise<Record<string, unknown>>;
  /** Resolves when the child exits. */
  exited: Promise<void>;
}

const live = new Set<ChildProcess>();
const cpus = availableParallelism();
const hasTaskset = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');

/** Kills every child still running (on exit, error or Ctrl-C). */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** Puts a child that is not a bench script (redis-server) under the same rule: killed with the rest. */
export function adopt(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** The command line that runs `command` pinned to `cpu` (when there are two CPUs and `taskset`). */
export function pinned(cpu: number | undefined, command: string[]): string[] {
  return cpu !== undefined && hasTaskset && cpus >= 2 ? ['taskset', '-c', String(cpu % cpus), ...command] : command;
}

export interface SpawnOptions {
  /** Pin to this CPU (when there are at least two and `taskset` exists). */
  cpu?: number;
  /** Extra Node flags, e.g. `--expose-gc` or `--cpu-prof`. */
  nodeFlags?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Open-file limit (soft and hard) for the child, set by the shell before it starts (see `fdLimit`). */
  nofile?: number;
}

/**
 * The open-file limit a child can be given: `wanted` when the shell may raise it that far, else the
 * hard limit this process has (raising a hard limit needs CAP_SYS_RESOURCE, which a container
 * often lacks). `raised` says whether `wanted` was allowed.
 */
export function fdLimit(wanted: number): { limit: number; raised: boolean; hard: number } {
  const sh = (script: string) => spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  const hardText = sh('ulimit -Hn').stdout.trim();
  const hard = hardText === 'unlimited' ? Number.POSITIVE_INFINITY : Number(hardText);
  if (sh(`ulimit -n ${wanted}`).status === 0) return { limit: wanted, raised: true, hard };
  return { limit: Number.isFinite(hard) ? hard : wanted, raised: false, hard };
}

/** Starts `file` (a .ts next to this one) under tsx with an IPC channel. */
export function spawnChild(name: string, file: string, args: string[] = [], options: SpawnOptions = {}): Proc {
  const script = fileURLToPath(new URL(file, import.meta.url));
  const node = [process.execPath, ...(options.nodeFlags ?? []), '--import', 'tsx', script, ...args];
  // `ulimit -n` first, then exec the (pinned) node: the limit is inherited, no shell stays behind.
  const [command, ...rest] =
    options.nofile !== undefined
      ? ['sh', '-c', 'ulimit -n "$0" && exec "$@"', String(options.nofile), ...pinned(options.cpu, node)]
      : pinned(options.cpu, node);
  const env = options.env ? { ...process.env, ...options.env } : process.env;
  const child = spawn(command!, rest, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  live.add(child);
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let onReady: (info: Record<string, unknown>) => void = () => {};
  let onEarlyExit: (error: Error) => void = () => {};
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    onReady = resolve;
    onEarlyExit = reject;
  });
  child.on('message', (raw) => {
    const { id, result, error, ready: info } = raw as { id: number; result?: unknown; error?: string; ready?: Record<string, unknown> };
    if (info) return onReady(info);
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (error !== undefined) waiter.reject(new Error(`${name}: ${error}`));
    else waiter.resolve(result);
  });
  ready.catch(() => {});
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      live.delete(child);
      onEarlyExit(new Error(`${name} exited before it was ready`));
      for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited`));
      pending.clear();
      resolve();
    }),
  );
  return {
    name,
    child,
    ready,
    exited,
    request<R>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: ${cmd} got no answer in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => (clearTimeout(timer), resolve(v as R)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        if (!child.connected) return void pending.get(id)?.reject(new Error(`${name} is not running`));
        child.send({ id, cmd, ...args });
      });
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}

/** Child side: tells the parent that requests can be sent now, with whatever it needs to know. */
export function announceReady(info: Record<string, unknown> = {}): void {
  process.send!({ ready: info });
}
