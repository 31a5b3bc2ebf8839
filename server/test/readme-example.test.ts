import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from './harness';
import { freePort, runCommand } from './process';

/** The first ```ts block under a README heading, read at test time so the README cannot drift. */
function readmeBlock(heading: string): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.indexOf(`\n## ${heading}\n`);
  if (section < 0) throw new Error(`README has no section "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(section));
  if (!block) throw new Error(`README section "${heading}" has no ts block`);
  return block[1]!;
}

const tokens = { 'viewer-token-0123456789': 'viewer', 'admin-token-0123456789': 'admin' } as const;
let desk: TestDesk;
let dir: string;
let example: string;
beforeAll(async () => {
  desk = await startTestDesk({ auth: { tokens }, sim: { enabled: true, ticksPerSecond: 100, symbols: ['AAPL', 'MSFT'] } });
  dir = mkdtempSync(join(tmpdir(), 'desk-readme-'));
  example = join(dir, 'example.mts');
  // Run from outside the repository, as another program would; only the import path is rewritten.
  const code = readmeBlock('Typed client for other TypeScript programs');
  expect(code).toContain("from './shared/node'");
  writeFileSync(example, code.replace("from './shared/node'", `from ${JSON.stringify(resolve('shared/node.ts'))}`));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await desk.close();
});

const run = (env: Record<string, string>) => runCommand([example], env, 30_000);

describe("README's typed client example", () => {
  it('type-checks under the project\'s compiler options', async () => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: resolve('tsconfig.json'),
        compilerOptions: { allowImportingTsExtensions: true, types: ['node'], typeRoots: [resolve('node_modules/@types')] },
        files: ['example.mts'],
        include: [],
      }),
    );
    const { code, stdout, stderr } = await runCommand([resolve('node_modules/typescript/bin/tsc'), '-p', dir], {}, 60_000);
    expect(code, stdout + stderr).toBe(0);
  });

  it('trades, prints three price updates and exits 0 by itself', async () => {
    const { code, stdout, stderr } = await run({ DESK_URL: desk.app.url, DESK_TOKEN: 'admin-token-0123456789' });
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^#\d+ bought 10 AAPL at \d+(\.\d+)?$/);
    expect(lines.slice(1).length).toBeGreaterThanOrEqual(3);
    for (const line of lines.slice(1)) expect(line).toMatch(/^#\d+ (AAPL|MSFT) \d+(\.\d+)?$/);
    expect(stderr).toBe('');
  });

  it('exits 1 with one line, no unhandled rejection, for a viewer, no token and a desk that is not there', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const runs = await Promise.all([
      run({ DESK_URL: desk.app.url, DESK_TOKEN: 'viewer-token-0123456789' }),
      run({ DESK_URL: desk.app.url, DESK_TOKEN: '' }),
      run({ DESK_URL: dead, DESK_TOKEN: 'admin-token-0123456789' }),
    ]);
    for (const { code, stdout, stderr } of runs) {
      expect(code, stderr).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toMatch(/^desk: /);
    }
  });
});
