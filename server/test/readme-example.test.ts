import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from './harness';
import { freePort, runCommand } from './process';

/** The first ```ts block under a heading of a Markdown file, read at test time so the docs cannot drift. */
function docBlock(file: string, heading: string): string {
  const text = readFileSync(file, 'utf8');
  const section = text.indexOf(`\n## ${heading}\n`);
  if (section < 0) throw new Error(`${file} has no section "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(section));
  if (!block) throw new Error(`${file} section "${heading}" has no ts block`);
  return block[1]!;
}

const examples = [
  { name: 'README.md', file: 'README.md', heading: 'From another TypeScript program', streams: false },
  { name: 'docs/client.md', file: 'docs/client.md', heading: 'Typed client', streams: true },
];

const tokens = { 'viewer-token-0123456789': 'viewer', 'admin-token-0123456789': 'admin' } as const;
let desk: TestDesk;
let dir: string;
beforeAll(async () => {
  desk = await startTestDesk({ auth: { tokens }, sim: { enabled: true, ticksPerSecond: 100, symbols: ['AAPL', 'MSFT'] } });
  dir = mkdtempSync(join(tmpdir(), 'desk-readme-'));
  // Run from outside the repository, as another program would; only the import path is rewritten.
  examples.forEach(({ file, heading }, i) => {
    const code = docBlock(file, heading);
    expect(code).toContain("from './shared/node'");
    writeFileSync(join(dir, `example-${i}.mts`), code.replace("from './shared/node'", `from ${JSON.stringify(resolve('shared/node.ts'))}`));
  });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: resolve('tsconfig.json'),
      compilerOptions: { allowImportingTsExtensions: true, types: ['node'], typeRoots: [resolve('node_modules/@types')] },
      files: examples.map((_, i) => `example-${i}.mts`),
      include: [],
    }),
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await desk.close();
});

describe('the typed client examples', () => {
  it("type-check under the project's compiler options", async () => {
    const { code, stdout, stderr } = await runCommand([resolve('node_modules/typescript/bin/tsc'), '-p', dir], {}, 60_000);
    expect(code, stdout + stderr).toBe(0);
  });

  describe.each(examples.map((e, i) => ({ ...e, path: () => join(dir, `example-${i}.mts`) })))('$name', ({ streams, path }) => {
    const run = (env: Record<string, string>) => runCommand([path()], env, 30_000);

    it('trades, prints what it got and exits 0 by itself', async () => {
      const { code, stdout, stderr } = await run({ DESK_URL: desk.app.url, DESK_TOKEN: 'admin-token-0123456789' });
      expect(code, stderr).toBe(0);
      const lines = stdout.trim().split('\n');
      expect(stderr).toBe('');
      if (!streams) {
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^#\d+ bought 10 AAPL at \d+(\.\d+)?; equity -?\d+(\.\d+)?$/);
        return;
      }
      expect(lines[0]).toMatch(/^#\d+ bought 10 AAPL at \d+(\.\d+)?$/);
      expect(lines.slice(1).length).toBeGreaterThanOrEqual(3);
      for (const line of lines.slice(1)) expect(line).toMatch(/^#\d+ (AAPL|MSFT) \d+(\.\d+)?$/);
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
});
