import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
/** The package's sources: `shared/`. */
export const PACKAGE_DIR = resolve(here, '..');
const REPO_DIR = resolve(PACKAGE_DIR, '..');
const GENERATOR = join(here, 'router-declaration.ts');
/** The package's entry points as source files under `shared/`, from its `exports` (`./dist/node.js` is `node.ts`). */
export function entrySources(manifest: { exports: Record<string, string | { import?: string }> }): string[] {
  return Object.values(manifest.exports).flatMap((target) => {
    const file = typeof target === 'string' ? target : target.import;
    const source = file && /^\.\/dist\/(.+)\.js$/.exec(file)?.[1];
    return source ? [`${source}.ts`] : [];
  });
}
const ENTRIES = entrySources(JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')));

/** The `tsc` of the project's own TypeScript. */
export const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

/**
 * Builds `@livedesk/client` into `outDir`: ES modules and declarations under `dist/`, the package's
 * `package.json` beside them (when `outDir` is not `shared/` itself). `AppRouter` ships as a
 * declaration generated from the server's router, so programs using the package never compile
 * server sources. Resolves to the list of files written under `dist/`.
 */
export async function buildClientPackage(outDir: string = PACKAGE_DIR): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'livedesk-client-'));
  // The copied sources resolve @trpc/*, zod and ws as the originals do.
  symlinkSync(join(REPO_DIR, 'node_modules'), join(work, 'node_modules'), 'dir');
  try {
    const src = join(work, 'src');
    copySources(src);
    writeFileSync(join(src, 'app-router.d.ts'), await generateRouterDeclaration(join(work, 'router')));
    const dist = join(resolve(outDir), 'dist');
    rmSync(dist, { recursive: true, force: true });
    await compile(src, dist);
    cpSync(join(src, 'app-router.d.ts'), join(dist, 'app-router.d.ts'));
    if (resolve(outDir) !== PACKAGE_DIR) cpSync(join(PACKAGE_DIR, 'package.json'), join(outDir, 'package.json'));
    return listFiles(dist);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every module of the package, without tests, the CLI, the build and the router re-export. */
function copySources(to: string): void {
  cpSync(PACKAGE_DIR, to, {
    recursive: true,
    filter: (from) => {
      const path = relative(PACKAGE_DIR, from);
      if (path === '') return true;
      const top = path.split(/[\\/]/)[0]!;
      if (['build', 'dist', 'test', 'node_modules', 'package.json', 'app-router.ts'].includes(top) || /^cli[.-]/.test(top)) return false;
      return !path.endsWith('.test.ts') && (path.endsWith('.ts') || !path.includes('.'));
    },
  });
  // The copies are ES modules, as under shared/package.json.
  writeFileSync(join(to, 'package.json'), JSON.stringify({ type: 'module', private: true }));
}

/**
 * Emits the declaration of `router-declaration.ts` (the server's router as a client sees it: every
 * procedure's input and output spelled out, no server context) and turns it into `app-router.d.ts`
 * for the package's root.
 */
async function generateRouterDeclaration(out: string): Promise<string> {
  const config = join(out, 'tsconfig.json');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(REPO_DIR, 'tsconfig.json'),
      compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, outDir: out, rootDir: REPO_DIR, types: ['node'], incremental: false },
      files: [GENERATOR],
      include: [],
    }),
  );
  // tsc emits the whole server's declarations on the way and complains that some of them cannot be
  // written (inferred router types); those files are thrown away. Only the generator's must be clean.
  const { stdout } = await run(process.execPath, [TSC, '-p', config], { cwd: REPO_DIR, maxBuffer: 64 << 20 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const own = stdout.split('\n').filter((line) => line.includes('router-declaration.ts') || /error TS(?!2883|2742|4\d{3}|9\d{3})/.test(line));
  if (own.length > 0) throw new Error(`the router declaration does not compile:\n${own.join('\n')}`);
  const emitted = readFileSync(join(out, relative(REPO_DIR, GENERATOR).replace(/\.ts$/, '.d.ts')), 'utf8');
  return routerDeclarationForPackage(emitted);
}

/**
 * Rewrites the emitted declaration for the package's root: `appRouter` becomes a type only
 * (`AppRouter`), and imports of shared modules become `./schema/….js` paths that resolve under
 * Node's ESM rules. Refuses a declaration that reaches anything but @trpc/server and the package.
 */
export function routerDeclarationForPackage(text: string): string {
  const rewritten = text.replace(/(import\(|from )(["'])(\.[^"']*)\2/g, (_, head: string, quote: string, specifier: string) => {
    const target = relative(PACKAGE_DIR, resolve(here, specifier)).replace(/\\/g, '/');
    if (target.startsWith('..')) throw new Error(`the router declaration refers to ${specifier}, outside the package`);
    return `${head}${quote}./${target}.js${quote}`;
  });
  for (const [, specifier] of rewritten.matchAll(/(?:import\(|from )["']([^"']+)["']/g)) {
    if (specifier !== '@trpc/server' && !specifier!.startsWith('./')) throw new Error(`the router declaration refers to ${specifier}`);
  }
  if (!/^export declare const appRouter: /m.test(rewritten)) throw new Error('the router declaration does not declare appRouter');
  return (
    rewritten.replace(/^export declare const appRouter: /m, 'declare const appRouter: ').replace(/\n*$/, '\n') +
    '/** The desk\'s router as a client sees it: `createTRPCClient<AppRouter>(…)`. */\nexport type AppRouter = typeof appRouter;\nexport {};\n'
  );
}

/** Compiles the copied sources as Node's ES modules would load them, with declarations. */
async function compile(src: string, dist: string): Promise<void> {
  const config = join(src, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        declaration: true,
        outDir: dist,
        rootDir: src,
        types: ['node'],
        skipLibCheck: true,
        incremental: false,
      },
      files: ENTRIES.map((entry) => join(src, entry)),
    }),
  );
  try {
    await run(process.execPath, [TSC, '-p', config], { cwd: src, maxBuffer: 64 << 20 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`the client package does not compile as Node ES modules:\n${stdout}${stderr}`.replaceAll(src, 'shared'));
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}
