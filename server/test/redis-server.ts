import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process';

export const REDIS_BINARY = '/usr/bin/redis-server';
/**
 * Whether the Redis tests run. Outside CI a machine without redis-server skips them; in CI
 * (`CI=true`, where `.ci/install-system-packages` installs it) they always run, so a missing binary
 * fails them instead of passing by skipping.
 */
export const haveRedis = existsSync(REDIS_BINARY) || process.env.CI === 'true';

/**
 * A real redis-server on a free loopback port, with an append-only file fsynced on every write, in
 * a temp directory. `restart()` stops it (gracefully) and starts it again on the same port and data;
 * `pause()` / `resume()` stall it with SIGSTOP / SIGCONT (connections stay open, nothing answers);
 * `kill()` ends it with SIGKILL.
 */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const proc = spawn(
      REDIS_BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      proc.stdout!.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    });
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGCONT'); // a paused server would never see the SIGTERM
      proc.kill('SIGTERM');
    });
  }

  /** SIGKILL: no shutdown, no final write; what the append-only file already holds survives. */
  async function kill(): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  function signal(name: 'SIGSTOP' | 'SIGCONT'): void {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(name);
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
  };
}
export type RedisServer = Awaited<ReturnType<typeof startRedis>>;
