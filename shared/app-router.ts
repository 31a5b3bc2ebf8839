/**
 * The desk's router type, for `createTRPCClient<AppRouter>` and the helper types. The built package
 * ships a declaration of it generated from the server's router instead of this file, so a program
 * using the package never compiles server sources (see `shared/build/build.ts`).
 */
export type { AppRouter } from '../server/root';
