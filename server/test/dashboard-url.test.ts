import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import viteConfig from '../../vite.config';
import { freePort, spawnServer } from './process';

/** Runs the desk with `env` until it has printed where to open the dashboard; returns what it printed. */
async function startupLines(env: Record<string, string>): Promise<string> {
  const server = await spawnServer(await freePort(), env);
  try {
    await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('open the dashboard');
    return server.output();
  } finally {
    server.kill('SIGTERM');
  }
}

describe('where the desk says to open the dashboard', () => {
  it('is DESK_DASHBOARD_URL when set (npm run dev: Vite), with the generated token', async () => {
    const output = await startupLines({ DESK_ADMIN_TOKENS: '', DESK_DASHBOARD_URL: 'http://localhost:5173/' });
    expect(output).toMatch(/^open the dashboard: http:\/\/localhost:5173\/\?token=[\w-]{20,}$/m);
    expect(output).not.toMatch(/open the dashboard: http:\/\/127\.0\.0\.1/);
  });

  it('is DESK_DASHBOARD_URL without a token when tokens are configured', async () => {
    const output = await startupLines({ DESK_DASHBOARD_URL: 'http://localhost:5173' });
    expect(output).toMatch(/^open the dashboard: http:\/\/localhost:5173\/$/m);
  });

  it('is the desk itself otherwise', async () => {
    const output = await startupLines({ DESK_ADMIN_TOKENS: '' });
    expect(output).toMatch(/^open the dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/m);
  });

  it('npm run dev names the port Vite is held to', () => {
    const dev = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.dev!;
    const url = /DESK_DASHBOARD_URL=(\S+)/.exec(dev)?.[1];
    expect(url, dev).toBeDefined();
    expect(new URL(url!).port).toBe(String(viteConfig.server?.port));
    expect(viteConfig.server?.strictPort).toBe(true);
    expect(dev).toContain(`DESK_ALLOWED_ORIGINS=${new URL(url!).origin}`);
  });
});
