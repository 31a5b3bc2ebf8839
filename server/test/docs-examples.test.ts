import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../shared/cli-args';
import { envSchema } from '../env';
import { appRouter } from '../root';
import {
  extractBlocks,
  headingAnchors,
  isPlaceholder,
  jsonShapeProblems,
  namedPaths,
  parseMarker,
  parseShell,
  relativeLinks,
  textShapeProblems,
  treePaths,
  where,
  type BlockCheck,
  type DocBlock,
  type ShellCommand,
} from './docs-blocks';
import { startTestDesk, type TestDesk } from './harness';
import { freePort, runCommand } from './process';

/**
 * Every code block of README.md and docs/*.md is checked as the comment above it says (the
 * convention: docs/operations.md, *Code blocks in the docs*), so none can rot.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`), 'server/bench/README.md'];

interface Checked extends DocBlock {
  check: BlockCheck;
  /** The block after it in the same file, when that one shows this block's output. */
  output?: Checked;
}

const markerProblems: string[] = [];
const blocks: Checked[] = [];
for (const file of FILES) {
  const { blocks: found, indented } = extractBlocks(file, readFileSync(join(ROOT, file), 'utf8'));
  for (const line of indented) markerProblems.push(`${file}:${line}: an indented code block; use a fenced one with a check above it`);
  let previous: Checked | undefined;
  for (const block of found) {
    if (block.marker === undefined) {
      markerProblems.push(`${where(block)}: a \`\`\`${block.lang} block without a check; put <!-- check: … --> on the line above it`);
      previous = undefined;
      continue;
    }
    const check = parseMarker(block.marker, block.lang);
    if (typeof check === 'string') {
      markerProblems.push(`${where(block)}: ${check}`);
      previous = undefined;
      continue;
    }
    const checked: Checked = { ...block, check };
    if (check.kind === 'output-of-previous') {
      if (previous?.check.kind !== 'run') markerProblems.push(`${where(block)}: "output-of previous" follows a block that is not run`);
      else previous.output = checked;
    }
    blocks.push(checked);
    previous = checked;
  }
}
const ofKind = <K extends BlockCheck['kind']>(kind: K) => blocks.filter((b): b is Checked & { check: Extract<BlockCheck, { kind: K }> } => b.check.kind === kind);
const isTs = (b: DocBlock) => b.lang === 'ts' || b.lang === 'typescript';

const tokens = { 'docs-viewer-token-0123456789': 'viewer', 'docs-admin-token-0123456789': 'admin' } as const;
const ADMIN = 'docs-admin-token-0123456789';
/** Generous: the examples take a few seconds each, far more on a loaded machine. */
const RUN_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = RUN_TIMEOUT_MS + 10_000;
const VIEWER = 'docs-viewer-token-0123456789';
/** Where the ts blocks are written: inside the repository, so that its packages resolve. */
const dir = join(ROOT, 'node_modules/.cache/docs-examples', String(process.pid));
const fileOf = (b: DocBlock) => join(dir, `${b.file.replace(/[^\w]+/g, '-')}-L${b.line}.mts`);

/** A block as a module of its own: imports of './…' are from the repository's root. */
function moduleSource(block: Checked): string {
  let code = block.code.replace(/(from\s+|import\s*\(\s*)(['"])\.\/([^'"]+)\2/g, (_, head: string, q: string, path: string) => `${head}${q}${join(ROOT, path)}${q}`);
  if (block.check.kind === 'typecheck' && block.check.sameAs) {
    // Each type the block declares must be the very type the module exports under that name.
    const real = JSON.stringify(join(ROOT, block.check.sameAs));
    const declared = [...block.code.matchAll(/^(?:export\s+)?(?:type|interface)\s+(\w+)(<[^=>]*>)?/gm)];
    if (declared.length === 0) throw new Error(`${where(block)}: "same-as" but the block declares no type`);
    code += `\nimport type * as Real__ from ${real};\ntype Same__<A, B> = (<G>() => G extends A ? 1 : 2) extends (<G>() => G extends B ? 1 : 2) ? true : false;\n`;
    for (const [, name, params] of declared) {
      const args = params ? `<${params.slice(1, -1).split(',').map(() => '{ k: 1 }').join(', ')}>` : '';
      code += `export const same${name}__: Same__<${name}${args}, Real__.${name}${args}> = true;\n`;
    }
  }
  return `${code}\nexport {};\n`;
}

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ auth: { tokens }, sim: { enabled: true, ticksPerSecond: 100, symbols: ['AAPL', 'MSFT'] } });
  mkdirSync(dir, { recursive: true });
  const code = blocks.filter((b) => isTs(b) && (b.check.kind === 'run' || b.check.kind === 'typecheck'));
  for (const block of code) writeFileSync(fileOf(block), moduleSource(block));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), compilerOptions: { types: ['node'] }, files: code.map(fileOf), include: [] }),
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await desk?.close();
});

describe.concurrent('the code blocks of README.md and docs/', () => {
  it('are all fenced and marked with a check they can have', () => {
    expect(markerProblems).toEqual([]);
    expect(blocks.length).toBeGreaterThan(0);
  });

  it('type-check against the repository (ts blocks marked run or typecheck)', async () => {
    const { code, stdout, stderr } = await runCommand([join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], {}, RUN_TIMEOUT_MS);
    // Name the doc and line rather than the generated file.
    const byFile = new Map(blocks.map((b) => [fileOf(b).slice(dir.length + 1), b]));
    const named = (stdout + stderr).replace(/(?:[^\s(]*\/)?([\w-]+\.mts)\((\d+),\d+\)/g, (text, f: string, at: string) => {
      const block = byFile.get(f);
      if (!block) return text;
      const inBlock = Number(at) < block.code.split('\n').length;
      return inBlock ? `${block.file}:${block.line + Number(at)}` : `${where(block)} (a type differs from the one it is "same-as")`;
    });
    expect(code, named).toBe(0);
  }, TEST_TIMEOUT_MS);
});

describe.runIf(ofKind('run').length > 0).concurrent('runnable blocks, against a real desk', () => {
  const env = () => ({ DESK_URL: desk.app.url, DESK_TOKEN: ADMIN });
  it.each(ofKind('run').map((b) => [where(b), b] as const))('%s runs and exits 0', async (_, block) => {
    const result = isTs(block)
      ? await runCommand([fileOf(block)], env(), RUN_TIMEOUT_MS)
      : await runShell(block.code, env());
    expect(result.code, result.stdout + result.stderr).toBe(0);
    if (isTs(block)) expect(result.stderr).toBe('');
    if (block.output) {
      const output = block.output;
      const problems = output.lang === 'json' ? jsonShapeProblems(JSON.parse(output.code), JSON.parse(result.stdout)) : textShapeProblems(output.code, result.stdout);
      expect(problems, `${where(output)} against the output:\n${result.stdout}`).toEqual([]);
    }
  }, TEST_TIMEOUT_MS);

  const refusing = ofKind('run').filter((b) => b.check.refusals);
  if (refusing.length > 0) it.each(refusing.map((b) => [where(b), b] as const))('%s exits 1 with one line for a viewer, no token and a desk that is not there', async (_, block) => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const runs = await Promise.all([
      runCommand([fileOf(block)], { DESK_URL: desk.app.url, DESK_TOKEN: VIEWER }, RUN_TIMEOUT_MS),
      runCommand([fileOf(block)], { DESK_URL: desk.app.url, DESK_TOKEN: '' }, RUN_TIMEOUT_MS),
      runCommand([fileOf(block)], { DESK_URL: dead, DESK_TOKEN: ADMIN }, RUN_TIMEOUT_MS),
    ]);
    for (const { code, stdout, stderr } of runs) {
      expect(code, stderr).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
    }
  }, TEST_TIMEOUT_MS);
});

const shell = [...ofKind('commands'), ...ofKind('run').filter((b) => !isTs(b))];
describe.runIf(shell.length > 0).concurrent('shell blocks', () => {
  it.each(shell.map((b) => [where(b), b] as const))('%s names scripts, files, options and variables that exist', (_, block) => {
    expect(parseShell(block.code).flatMap(commandProblems)).toEqual([]);
  });
});

describe.runIf(ofKind('tree').length > 0).concurrent('tree blocks', () => {
  it.each(ofKind('tree').map((b) => [where(b), b] as const))('%s names folders and files that exist, and every folder of the ones it lists', (_, block) => {
    const paths = treePaths(block.code);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !existsSync(join(ROOT, p))), 'named, not there').toEqual([]);
    // A layout that leaves out a folder misleads as much as one that names a missing one.
    const folders = (d: string) =>
      readdirSync(join(ROOT, d), { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !ignoredDirs.has(`${e.name}/`))
        .map((e) => `${d}${e.name}/`);
    const tops = paths.filter((p) => /^[^/]+\/$/.test(p));
    expect([...folders(''), ...tops.flatMap(folders)].filter((p) => !paths.includes(p)), 'there, not named').toEqual([]);
  });
});

describe.runIf(ofKind('checked-by').length > 0).concurrent('blocks checked by another test', () => {
  it.each(ofKind('checked-by').map((b) => [where(b), b] as const))('%s names a test that reads its file', (_, block) => {
    const test = join(ROOT, block.check.test);
    expect(existsSync(test), `${block.check.test} does not exist`).toBe(true);
    expect(readFileSync(test, 'utf8'), `${block.check.test} never names ${block.file}`).toContain(block.file.split('/').pop());
  });
});

describe.concurrent('the prose of README.md and docs/', () => {
  it('names paths of the repository that exist', () => {
    const missing = FILES.flatMap((file) =>
      namedPaths(readFileSync(join(ROOT, file), 'utf8'))
        .filter(({ path, bare }) => (bare ? !fileNames.has(path) : !isBuildOutput(path) && !['', '.ts', '.tsx', '/index.ts'].some((ext) => existsSync(join(ROOT, path.replace(/\/$/, '') + ext)))))
        .map(({ path, line }) => `${file}:${line}: ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('links to files and headings that exist', () => {
    const broken = FILES.flatMap((file) =>
      relativeLinks(readFileSync(join(ROOT, file), 'utf8')).flatMap(({ target, anchor, line }) => {
        const path = target === '' ? join(ROOT, file) : join(ROOT, dirname(file), target);
        if (!existsSync(path)) return [`${file}:${line}: ${target} does not exist`];
        if (anchor === undefined || !path.endsWith('.md')) return [];
        return headingAnchors(readFileSync(path, 'utf8')).has(anchor) ? [] : [`${file}:${line}: ${target}#${anchor}: no such heading`];
      }),
    );
    expect(broken).toEqual([]);
  });
});

describe.concurrent('docs/api.md', () => {
  it("lists every procedure of the router in its router's row, under its kind", () => {
    const text = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    const rows = new Map(text.split('\n').filter((l) => /^\| `\w+` \|/.test(l)).map((l) => [/^\| `(\w+)`/.exec(l)![1]!, l.split(/(?<!\\)\|/)]));
    const column = { subscription: 2, query: 3, mutation: 4 } as const;
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: keyof typeof column } }>);
    expect(procedures.length).toBeGreaterThan(40);
    const missing = procedures
      .filter(([path, p]) => {
        const [router, name] = path.split('.') as [string, string];
        const cell = rows.get(router)?.[column[p._def.type]] ?? '';
        return !new RegExp(`\`${name}[\`(]`).test(cell);
      })
      .map(([path, p]) => `${path} (${p._def.type})`);
    expect(missing).toEqual([]);
  });
});

describe.concurrent('docs/api.md errors', () => {
  // Thrown only when a procedure itself is wrong (no role declared, a stream from a query): a bug to
  // fix, not an answer a client is meant to handle.
  const bugs = new Set(['INTERNAL_SERVER_ERROR', 'UNSUPPORTED_MEDIA_TYPE']);
  it('lists every error code the server throws in its errors table', () => {
    const text = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    const table = text.slice(text.indexOf('\n## Errors\n'));
    const thrown = new Set([...serverSources.matchAll(/TRPCError\(\s*\{[\s\S]{0,300}?code:\s*'([A-Z_]+)'/g)].map((m) => m[1]!));
    expect(thrown.size).toBeGreaterThan(5);
    expect([...thrown].filter((code) => !bugs.has(code) && !table.includes(`\`${code}\``) && !table.includes(`"${code}"`))).toEqual([]);
  });
});

describe.concurrent('docs/operations.md', () => {
  it("lists every variable of server/env.ts's schema in its configuration table, and no other", () => {
    const text = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const section = text.slice(text.indexOf('\n## Configuration\n'));
    const table = section.slice(0, section.indexOf('\n## ', 1));
    const documented = new Set(table.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!)));
    const schema = Object.keys(envSchema.shape);
    expect(schema.filter((name) => !documented.has(name)), 'in server/env.ts, not in the table').toEqual([]);
    expect([...documented].filter((name) => !schema.includes(name) && !readInSource(name)), 'in the table, read nowhere').toEqual([]);
  });

  it('lists every npm script of package.json in its table of scripts', () => {
    const text = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const section = text.slice(text.indexOf('\n## Set-up and scripts\n'), text.indexOf('\n## Configuration\n'));
    const named = new Set([...section.matchAll(/`npm (?:run )?([\w:-]+)/g)].map((m) => m[1]!));
    expect(Object.keys(packageJson.scripts).filter((script) => !named.has(script))).toEqual([]);
  });

  it("gives each variable the default server/env.ts's schema gives it", () => {
    const text = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const defaults = envSchema.parse({}) as Record<string, unknown>;
    const shown = (value: unknown) => (Array.isArray(value) ? value.join(',') : value === true ? '1' : value === false ? '0' : String(value));
    const wrong: string[] = [];
    for (const line of text.split('\n').filter((l) => l.startsWith('| `'))) {
      const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
      const names = [...cells[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);
      const documented = [...cells[2]!.matchAll(/`([^`]*)`/g)].map((m) => m[1]!);
      names.forEach((name, i) => {
        // A default the code computes elsewhere (no schema default) is described, not compared.
        if (defaults[name] === undefined) return;
        const doc = documented.length === names.length ? documented[i] : undefined;
        if (doc !== shown(defaults[name])) wrong.push(`${name}: the table says ${doc === undefined ? 'nothing' : `\`${doc}\``}, the schema \`${shown(defaults[name])}\``);
      });
    }
    expect(wrong).toEqual([]);
  });
});

/**
 * Runs a shell block from the repository's root. `npm run <script> -- args` runs the script's
 * command from package.json with the arguments appended and node_modules/.bin on the PATH, as npm
 * does, without npm's own start-up and banner; other npm commands go to npm.
 */
function runShell(code: string, env: Record<string, string>) {
  const arms = Object.entries(packageJson.scripts).map(([name, body]) => `    ${JSON.stringify(name)}) ${body} "$@" ;;`);
  const npm = [
    'npm() {',
    '  if [ "$1" = run ] && [ $# -ge 2 ]; then',
    '    local script="$2"; shift 2',
    '    if [ "${1:-}" = -- ]; then shift; fi',
    '    case "$script" in',
    ...arms,
    '    *) echo "npm: no script $script" >&2; return 1 ;;',
    '    esac',
    '  else command npm "$@"; fi',
    '}',
  ].join('\n');
  return runCommand(
    ['-e', `process.exit(require('node:child_process').spawnSync('bash', ['-euo', 'pipefail', '-c', ${JSON.stringify(npm + '\n' + code)}], { stdio: 'inherit', cwd: ${JSON.stringify(ROOT)} }).status ?? 1)`],
    { ...env, PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}` },
    RUN_TIMEOUT_MS,
  );
}

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const serverFiles: string[] = [];
const sources = (() => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else if (/\.tsx?$/.test(entry.name)) files.push(join(d, entry.name));
    }
  };
  for (const d of ['server', 'shared', 'web', 'examples']) walk(join(ROOT, d));
  serverFiles.push(...files.filter((f) => f.startsWith(join(ROOT, 'server/')) && !/\.test\.ts$|\/test\/|\/bench\//.test(f)));
  return files.filter((f) => !f.endsWith('docs-examples.test.ts')).map((f) => readFileSync(f, 'utf8')).join('\n');
})();
/** The server's own code, tests and benches left out. */
const serverSources = serverFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
/** Folders git ignores (`dist/`): build output a doc may name before anything is built. */
const ignoredDirs = new Set(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => /^[\w.-]+\/$/.test(l)));
const isBuildOutput = (path: string) => path.split('/').slice(0, -1).some((segment) => ignoredDirs.has(`${segment}/`)) || ignoredDirs.has(path.split('/').pop() + '/');
/** The names of the repository's files (for docs that name a test by its file name alone). */
const fileNames = (() => {
  const names = new Set<string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else names.add(entry.name);
    }
  };
  for (const d of ['server', 'shared', 'web', 'docs', 'examples']) if (existsSync(join(ROOT, d))) walk(join(ROOT, d));
  // The files at the root (package.json, vitest.config.ts, ...), not the folders beside them.
  for (const entry of readdirSync(ROOT, { withFileTypes: true })) if (entry.isFile()) names.add(entry.name);
  return names;
})();
/** Is an environment variable read by some code of the repository (tests and benches included)? */
const readInSource = (name: string) => new RegExp(`process\\.env(\\.${name}\\b|\\[['"]${name}['"]\\])|\\benv\\.${name}\\b`).test(sources);

const SHELL_BUILTINS = new Set(['cd', 'export', 'echo', 'kill', 'wait', 'sleep']);
const onPath = (command: string) => (process.env.PATH ?? '').split(delimiter).some((d) => existsSync(join(d, command)));

/** The source folders of the files an npm script runs with tsx (following `npm run` in it). */
function scriptSourceDirs(script: string, seen = new Set<string>()): string[] {
  if (seen.has(script)) return [];
  seen.add(script);
  const body = packageJson.scripts[script] ?? '';
  const dirs = [...body.matchAll(/\btsx\s+(?:watch\s+)?(\S+\.ts)/g)].map((m) => dirname(join(ROOT, m[1]!)));
  for (const m of body.matchAll(/npm run (\S+)/g)) dirs.push(...scriptSourceDirs(m[1]!, seen));
  return dirs;
}

/** Does a command-line option appear in the sources that read it? */
function optionKnown(option: string, dirs: string[]): boolean {
  const name = option.replace(/^--?/, '').replace(/=.*$/, '');
  const pattern = new RegExp(`(['"\`])(--)?${name}\\1|['"\`]--${name}\\b|\\b${name.replace(/-/g, '[-_]?')}\\s*:`);
  return dirs.some((d) => readdirSync(d).some((f) => f.endsWith('.ts') && pattern.test(readFileSync(join(d, f), 'utf8'))));
}

/** A procedure's input schema, as tRPC keeps it (zod's `safeParse`). */
type InputParser = { safeParse?: (value: unknown) => { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } };

/** What is wrong with one command a doc shows (empty when nothing is). */
function commandProblems({ env, words }: ShellCommand): string[] {
  const shown = [...env.map((e) => `${e.name}=${e.value}`), ...words].join(' ');
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`${shown}: ${text}`);
  for (const { name, value } of env) {
    const field = (envSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[name];
    if (!field && !readInSource(name)) problem(`${name} is neither in server/env.ts's schema nor read by any code`);
    else if (field && !isPlaceholder(value) && !field.safeParse(value).success) problem(`${name}=${value} is refused by server/env.ts`);
  }
  const [command, ...args] = words;
  if (command === undefined) return problems;
  if (command === 'npm') {
    const [sub, script, ...rest] = args;
    if (sub === 'run' || sub === 'run-script') {
      if (script === undefined || !(script in packageJson.scripts)) return [...problems, `${shown}: no npm script "${script}" in package.json`];
      const passed = rest[0] === '--' ? rest.slice(1) : [];
      if (rest.length > 0 && rest[0] !== '--') problem('arguments to an npm script go after --');
      if (script === 'desk') {
        try {
          const { command } = parseCli(passed.map((a) => (isPlaceholder(a) ? 'x' : a)), {});
          // What the CLI would send must also pass the procedure's own input schema.
          if ('path' in command && !passed.some(isPlaceholder)) {
            const procedure = (appRouter._def.procedures as unknown as Record<string, { _def: { inputs: InputParser[] } }>)[command.path];
            if (!procedure) problem(`the desk has no procedure ${command.path}`);
            // tRPC runs every input parser of a procedure (its base's and its own) on the input.
            for (const parser of procedure?._def.inputs ?? []) {
              const result = parser.safeParse?.(command.input);
              if (result && !result.success) problem(`the desk would refuse its input: ${result.error!.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`);
            }
          }
        } catch (error) {
          problem(`the CLI refuses it: ${(error as Error).message}`);
        }
      } else {
        const dirs = scriptSourceDirs(script);
        for (const option of passed.filter((a) => a.startsWith('-'))) if (!optionKnown(option, dirs)) problem(`no source of "npm run ${script}" reads ${option}`);
      }
    } else if (sub === 'start' || sub === 'test') {
      if (!(sub in packageJson.scripts)) problem(`no npm script "${sub}"`);
    } else if (sub !== 'ci' && sub !== 'install') {
      problem(`npm ${sub}: not a command the docs are checked for`);
    }
  } else if (command === 'npx') {
    const [tool, ...rest] = args;
    if (!tool || !existsSync(join(ROOT, 'node_modules/.bin', tool))) problem(`npx ${tool}: not installed in node_modules/.bin`);
    const files = (tool === 'vitest' ? rest.slice(rest[0] === 'run' ? 1 : 0) : tool === 'tsx' ? rest.slice(0, 1) : []).filter((a) => /\.tsx?$/.test(a));
    for (const file of files) if (!existsSync(join(ROOT, file)) || !statSync(join(ROOT, file)).isFile()) problem(`no file ${file}`);
    if (tool === 'tsx' && rest[0]) {
      const dirs = [dirname(join(ROOT, rest[0]))];
      for (const option of rest.slice(1).filter((a) => a.startsWith('-'))) if (!optionKnown(option, dirs)) problem(`no source of ${rest[0]} reads ${option}`);
    }
  } else if (command === 'bash' || command === 'sh') {
    if (args[0] && !args[0].startsWith('-') && !existsSync(join(ROOT, args[0]))) problem(`no file ${args[0]}`);
  } else if (!SHELL_BUILTINS.has(command) && !onPath(command)) {
    problem(`${command} is not on this machine's PATH`);
  }
  return problems;
}
