import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port';
import { adopt, pinned } from './procs';

export const REDIS_BINARY = process.env.BENCH_REDIS_SERVER ?? '/usr/bin/redis-server';

/** CPU µs a process used so far, from /proc/<pid>/stat (Linux; 0 elsewhere). */
function processCpuUs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name "(...)": utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000; // USER_HZ 100
  } catch {
    return 0;
  }
}

/**
 * The bench's own redis-server for cluster runs: 127.0.0.1 only, a free port, a temp directory,
 * no snapshots, an append-only file fsynced once a second (what a desk cluster would run). Killed
 * with the other bench children on exit or Ctrl-C; `stop()` ends it gracefully (bounded) and removes
 * the directory.
 */
export async function startBenchRedis(options: { cpu?: number; startMs?: number } = {}) {
  if (!existsSync(REDIS_BINARY)) throw new Error(`${REDIS_BINARY} not found (install redis-server, or set BENCH_REDIS_SERVER)`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'livedesk-bench-redis-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'];
  const [command, ...rest] = pinned(options.cpu, [REDIS_BINARY, ...args]);
  const child = spawn(command!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  adopt(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in ${options.startMs ?? 10_000} ms:\n${output}`)), options.startMs ?? 10_000);
      const collect = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output.slice(-2000)}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    removeDir();
    throw error;
  }
  // Keep draining its output so a full pipe never blocks it.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    /** CPU µs redis-server used so far. */
    cpuUs: () => processCpuUs(child.pid),
    /** SIGTERM, SIGKILL after `graceMs`; then the temp directory goes. */
    async stop(graceMs = 3_000): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      removeDir();
    },
  };
}
export type BenchRedis = Awaited<ReturnType<typeof startBenchRedis>>;
