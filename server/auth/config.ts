import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Env } from '../env';
import { generateToken, type AuthConfig, type Role, type StaticGrant } from './tokens';
import { makeParentDirectory } from '../persist/make-directories';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The auth configuration from the environment. With no tokens and no secret, a desk on a loopback
 * address generates an admin token (to open the dashboard with), kept in `tokenFile` when given so
 * a restart keeps it and an open dashboard stays signed in; on any other address it refuses to start.
 */
export function authFromEnv(env: Env, tokenFile?: string): { auth: AuthConfig; generated: string | null } {
  const tokens: Record<string, Role | StaticGrant> = {};
  for (const token of env.DESK_VIEWER_TOKENS ?? []) tokens[token] = 'viewer';
  for (const token of env.DESK_OPERATOR_TOKENS ?? []) tokens[token] = 'operator';
  for (const token of env.DESK_ADMIN_TOKENS ?? []) tokens[token] = 'admin';
  for (const { name, role, token } of env.DESK_TOKENS ?? []) tokens[token] = { role, name };
  const configured = Object.keys(tokens).length > 0 || env.DESK_AUTH_SECRET !== undefined;
  if (configured) return { auth: { tokens, secret: env.DESK_AUTH_SECRET, revoked: env.DESK_REVOKED_TOKENS }, generated: null };
  if (!LOOPBACK.has(env.HOST)) {
    throw new Error(
      `refusing to listen on ${env.HOST} without configured tokens: set DESK_TOKENS / DESK_OPERATOR_TOKENS / DESK_ADMIN_TOKENS / DESK_VIEWER_TOKENS or DESK_AUTH_SECRET, or bind HOST=127.0.0.1`,
    );
  }
  const generated = tokenFile ? keptToken(tokenFile) : generateToken();
  return { auth: { tokens: { [generated]: { role: 'admin', name: 'local-admin' } } }, generated };
}

/** The token stored in `file`, or a new one written there (readable by its owner only). */
function keptToken(file: string): string {
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 16) return kept;
  }
  const token = generateToken();
  makeParentDirectory(file);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
