import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientPackage, TSC } from '../../shared/build/package-build';
import { startTestDesk, type TestDesk } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'client-package');
const repoModules = resolve(here, '../../node_modules');
/** What the package needs beside itself: its dependencies and peers, and the types of `ws`. */
const installed = ['@trpc/client', '@trpc/server', 'zod', 'ws', 'eventsource', '@types/ws', '@types/node'];

let root: string;
let files: string[];
let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk();
  // One folder of consumer projects sharing a node_modules, as a workspace would.
  root = mkdtempSync(join(tmpdir(), 'desk-consumers-'));
  files = await buildClientPackage(join(root, 'node_modules', '@livedesk', 'client'));
  for (const name of installed) {
    mkdirSync(dirname(join(root, 'node_modules', name)), { recursive: true });
    symlinkSync(join(repoModules, name), join(root, 'node_modules', name), 'dir');
  }
}, 120_000);
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await desk?.close();
});

/** A consumer project: an ES module package with `sources` from the fixtures and `tsconfig`. */
function project(name: string, tsconfig: object | null, sources: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  if (tsconfig) writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  for (const [file, text] of Object.entries(sources)) writeFileSync(join(dir, file), text);
  return dir;
}

function tsc(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [TSC, ...args], { cwd, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    ),
  );
}

const fixture = (file: string) => readFileSync(join(fixtures, file), 'utf8');
const consumer = fixture('consumer.ts');
/** The example of docs/client.md's package section, compiled beside the fixture. */
const docsExample = (() => {
  const text = readFileSync(resolve(here, '../../docs/client.md'), 'utf8');
  const section = text.slice(text.indexOf('\n## The @livedesk/client package\n'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!section.startsWith('\n## ') || !block) throw new Error('docs/client.md has no ts block under "The @livedesk/client package"');
  return block[1]!;
})();
const wrongUsages = fixture('wrong-usages.ts');
/** Line numbers (1-based) of the lines each `@ts-expect-error` stands above. */
const expectedErrorLines = wrongUsages
  .split('\n')
  .flatMap((line, index) => (line.trim().startsWith('// @ts-expect-error') ? [index + 2] : []));
/** The wrong usages with every directive blanked out (line numbers kept). */
const bareWrongUsages = wrongUsages.replace(/\/\/ @ts-expect-error.*/g, '//');

/**
 * Errors in the consumer's files or in this package's declarations. Libraries' own declarations are
 * checked too (skipLibCheck off) but are not this package's to fix: @trpc/server 11.19's ws adapter
 * does not match @types/ws 8.18.
 */
const ownErrors = (output: string) =>
  output.split('\n').filter((line) => /error TS\d+/.test(line) && (!line.includes('node_modules/') || line.includes('node_modules/@livedesk/')));

/** Bundler resolution with the strictest checks a project may turn on, libraries checked too. */
const strictBundler = {
  compilerOptions: {
    target: 'ES2022',
    module: 'Preserve',
    moduleResolution: 'Bundler',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noPropertyAccessFromIndexSignature: true,
    noImplicitReturns: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    noEmit: true,
  },
};

describe('@livedesk/client as a package', () => {
  it('is built as ES modules and declarations whose relative imports all name their file', () => {
    for (const entry of ['index', 'node', 'sse-mux', 'schema/index']) {
      expect(files).toContain(`${entry}.js`);
      expect(files).toContain(`${entry}.d.ts`);
    }
    expect(files).toContain('app-router.d.ts');
    // Every entry of package.json's exports is there, with its declarations.
    const manifest = JSON.parse(readFileSync(join(root, 'node_modules', '@livedesk', 'client', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t as Record<string, string>)));
    expect(targets.filter((t) => t.startsWith('./dist/') && !files.includes(t.slice('./dist/'.length)))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    const dist = join(root, 'node_modules', '@livedesk', 'client', 'dist');
    for (const file of files) {
      const text = readFileSync(join(dist, file), 'utf8');
      for (const [, specifier] of text.matchAll(/(?:from |import\()\s*["'](\.[^"']*)["']/g)) expect(specifier, file).toMatch(/\.js$/);
      // Consumers never see the server: no import of its modules, in code or declarations.
      expect(text, file).not.toMatch(/server\//);
    }
  });

  it('runs in plain Node from the built files: a validated trade, then the trade stream, against a real desk', async () => {
    const dir = project('node-run', null, { 'trade.mjs': fixture('trade.mjs') });
    const { code, output } = await new Promise<{ code: number; output: string }>((done) =>
      execFile(process.execPath, ['trade.mjs'], { cwd: dir, env: { ...process.env, DESK_URL: desk.app.url }, timeout: 30_000 }, (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
      ),
    );
    expect(code, output).toBe(0);
    const result = JSON.parse(output) as { eventId: string; trade: { id: string; symbol: string }; snapshot: { type: string; items: Array<{ id: string }> } };
    expect(result.eventId).toMatch(/^\d+$/);
    expect(result.trade.symbol).toBe('AAPL');
    expect(result.snapshot.type).toBe('snapshot');
    expect(result.snapshot.items.map((t) => t.id)).toContain(result.trade.id);
  });

  it(
    'compiles a consumer with 0 errors under tsc --init, strict bundler resolution and node16; wrong usages fail line by line',
    async () => {
      const sources = { 'consumer.ts': consumer, 'docs-example.ts': docsExample };
      const init = project('init', null, sources);
      const initialized = await tsc(['--init'], init);
      expect(initialized.code, initialized.output).toBe(0);
      // The wrong usages twice in one program: as written (each directive used), and bare (each line an error).
      const bundler = project('bundler', strictBundler, {
        ...sources,
        'wrong-usages.ts': wrongUsages,
        'bare-wrong-usages.ts': bareWrongUsages,
        // A directive above a line that compiles is itself an error (TS2578), so none can go stale.
        'stale.ts': "import { createDeskClient } from '@livedesk/client';\n// @ts-expect-error\nexport const desk = createDeskClient({ url: 'http://x' });\n",
      });
      const node16 = project('node16', { compilerOptions: { module: 'Node16', strict: true, noEmit: true, skipLibCheck: true } }, sources);
      const [initRun, bundlerRun, node16Run] = await Promise.all([tsc(['-p', '.', '--noEmit'], init), tsc(['-p', '.'], bundler), tsc(['-p', '.'], node16)]);
      // TypeScript's own defaults: nodenext, exactOptionalPropertyTypes, noUncheckedIndexedAccess …
      expect(readFileSync(join(init, 'tsconfig.json'), 'utf8')).toMatch(/"module": "nodenext"[\s\S]*"exactOptionalPropertyTypes": true/);
      expect(initRun.output).toBe('');
      expect(ownErrors(bundlerRun.output).filter((line) => !/^(bare-wrong-usages|stale)\.ts\(/.test(line))).toEqual([]);
      expect(node16Run.output).toBe('');
      expect([initRun.code, node16Run.code]).toEqual([0, 0]);

      expect(expectedErrorLines.length).toBeGreaterThanOrEqual(20);
      const errorLines = new Set([...bundlerRun.output.matchAll(/^bare-wrong-usages\.ts\((\d+),\d+\): error/gm)].map((m) => Number(m[1])));
      expect([...errorLines].sort((a, b) => a - b), bundlerRun.output).toEqual(expectedErrorLines);
      expect(bundlerRun.output).toMatch(/^stale\.ts\(2,1\): error TS2578: Unused '@ts-expect-error' directive/m);
    },
    60_000,
  );
});

/** Bundles `code` for a browser page as the dashboard's Vite build would, minified. */
async function bundle(name: string, code: string): Promise<{ size: number; modules: string[] }> {
  const dir = project(name, null, { 'entry.js': code });
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    root: dir,
    // As a page's own script, not a library: Vite keeps a library's whitespace for its consumers' minifier.
    build: { write: false, minify: true, modulePreload: false, rollupOptions: { input: join(dir, 'entry.js') } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const chunks = [output].flat().flatMap((o) => o.output).filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
  return { size: chunks.reduce((sum, c) => sum + Buffer.byteLength(c.code), 0), modules: chunks.flatMap((c) => c.moduleIds) };
}

describe('@livedesk/client in a browser bundle', () => {
  const helpers = "import { createDeskClient, applyStreamMessage, createEventWaiter } from '@livedesk/client';\n";
  it('costs under 44 KB minified for createDeskClient and the stream helpers, without zod or the sse-mux transport; 49 KB with sseMux()', async () => {
    const [client, mux, everything, schemas] = await Promise.all([
      bundle('bundle-client', `${helpers}globalThis.desk = { createDeskClient, applyStreamMessage, createEventWaiter };\n`),
      bundle('bundle-sse-mux', `${helpers}import { sseMux } from '@livedesk/client/sse-mux';\nglobalThis.desk = { createDeskClient, applyStreamMessage, createEventWaiter, sseMux };\n`),
      bundle('bundle-main', "import * as client from '@livedesk/client';\nglobalThis.desk = client;\n"),
      bundle('bundle-schema', "import { executeTradeInput } from '@livedesk/client/schema';\nglobalThis.desk = executeTradeInput;\n"),
    ]);
    // ~41 KB, of which the input checks that fail what cannot be sent (sendableInputLink) are ~2.6 KB.
    expect(client.size, `${client.size} bytes`).toBeLessThan(44 * 1024);
    expect(client.modules.some((id) => id.includes('@trpc/client'))).toBe(true);
    // A program on the WebSocket (or plain SSE) carries none of the multiplexed transport, even
    // importing the whole main entry; one that passes sseMux() carries it.
    const muxModules = (modules: string[]) => modules.filter((id) => /\/dist\/sse-mux[-.]/.test(id));
    expect(muxModules(client.modules)).toEqual([]);
    expect(muxModules(everything.modules)).toEqual([]);
    expect(mux.size, `${mux.size} bytes`).toBeLessThan(49 * 1024);
    expect(muxModules(mux.modules).map((id) => id.slice(id.lastIndexOf('/') + 1)).sort()).toEqual(['sse-mux-client.js', 'sse-mux-link.js', 'sse-mux.js']);
    // The main entry has no zod at run time, however much of it a page takes; schemas do.
    expect(everything.modules.filter((id) => id.includes('/zod/'))).toEqual([]);
    expect(schemas.modules.some((id) => id.includes('/zod/'))).toBe(true);
  }, 60_000);
});
