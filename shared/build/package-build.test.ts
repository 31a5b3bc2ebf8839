import { describe, expect, it } from 'vitest';
import { entrySources, routerDeclarationForPackage } from './package-build';

const emitted = (body: string) => `import type { TRPCBuiltRouter } from '@trpc/server';\nexport declare const appRouter: TRPCBuiltRouter<${body}>;\n`;

describe('routerDeclarationForPackage', () => {
  it('makes appRouter a type only and points imports of shared modules at their .js files', () => {
    const out = routerDeclarationForPackage(emitted('{ a: import("../schema/stream").StreamMessage<1> }'));
    expect(out).toContain('declare const appRouter: TRPCBuiltRouter<{ a: import("./schema/stream.js").StreamMessage<1> }>;');
    expect(out).not.toMatch(/export declare const/);
    expect(out).toMatch(/export type AppRouter = typeof appRouter;/);
  });

  it('refuses a declaration that reaches a server module or another package', () => {
    expect(() => routerDeclarationForPackage(emitted('import("../../server/store/desk").Desk'))).toThrow(/outside the package/);
    expect(() => routerDeclarationForPackage(emitted('import("ioredis").Redis'))).toThrow(/refers to ioredis/);
  });

  it('refuses a declaration without appRouter', () => {
    expect(() => routerDeclarationForPackage('export {};\n')).toThrow(/does not declare appRouter/);
  });
});

describe('entrySources', () => {
  it("reads the entry modules from the package's exports", () => {
    const exports = { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './schema': { import: './dist/schema/index.js' }, './package.json': './package.json' };
    expect(entrySources({ exports })).toEqual(['index.ts', 'schema/index.ts']);
  });
});
