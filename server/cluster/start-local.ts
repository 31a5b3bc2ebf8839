import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Two desk instances on one machine sharing a command log: uses DESK_REDIS_URL, or starts a local
 * redis-server (append-only, under data/redis) on port 6390. Instances listen on PORT and PORT+1;
 * both are willing to run the simulator, and the holder of its lease does.
 */
const children: ChildProcess[] = [];
const port = Number(process.env.PORT ?? 3000);
const token = process.env.DESK_ADMIN_TOKENS ?? randomBytes(18).toString('base64url');
let redisUrl = process.env.DESK_REDIS_URL;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, name = command): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(chunk.toString().replace(/^/gm, `[${name}] `)));
  child.on('exit', (code) => {
    console.log(`[${name}] exited (${code}); stopping the rest`);
    shutdown();
  });
  children.push(child);
  return child;
}

function shutdown(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 500).unref();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

if (!redisUrl) {
  mkdirSync('data/redis', { recursive: true });
  run('redis-server', ['--port', '6390', '--bind', '127.0.0.1', '--dir', 'data/redis', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], {}, 'redis');
  redisUrl = 'redis://127.0.0.1:6390';
  await new Promise((resolve) => setTimeout(resolve, 500));
}

for (const i of [0, 1]) {
  run(process.execPath, ['--import', 'tsx', 'server/main.ts'], { PORT: String(port + i), DESK_REDIS_URL: redisUrl, DESK_SIM: '1', DESK_ADMIN_TOKENS: token }, `desk-${i + 1}`);
}
console.log(`two instances: http://127.0.0.1:${port}/?token=${token} and http://127.0.0.1:${port + 1}/?token=${token}`);
