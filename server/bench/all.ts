/**
 * `npm run bench`: the server benchmarks (`run.ts`, given every option of the command line) and
 * then the dashboard's frame times (`web/e2e/bench-frames.ts`), unless an `--<phase>-only` option or
 * `--no-frames` asks for the server part alone. Each runs in its own process; the first failure's
 * exit code is the command's.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const run = (file: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', resolve(root, file), ...args], { stdio: 'inherit', cwd: root }).status ?? 1;

const serverCode = run('server/bench/run.ts', argv.filter((a) => a !== '--no-frames'));
const framesWanted = !argv.includes('--no-frames') && !argv.some((a) => /^--[a-z-]+-only$/.test(a));
const framesCode = serverCode === 0 && framesWanted ? run('web/e2e/bench-frames.ts', []) : 0;
process.exitCode = serverCode || framesCode;
