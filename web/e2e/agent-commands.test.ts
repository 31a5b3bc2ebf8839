import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskAgent, type DeskAgent } from '../../shared/node';
import { hasChromium, startDesk, useDashboard } from './harness';

const WAIT = 15_000;
const tokens = {
  'viewer-token-0123456789': { role: 'viewer', name: 'grafana' },
  'operator-token-0123456789': { role: 'operator', name: 'alice' },
  'admin-token-0123456789': { role: 'admin', name: 'root' },
} as const;

/** A page of the dashboard signed in with `token` (as remembered from an earlier visit), its panels shown. */
async function signedIn(context: BrowserContext, url: string, token: string): Promise<Page> {
  const page = await context.newPage();
  // The pages share the browser's storage: each page starts with its own token there.
  await page.addInitScript((t) => localStorage.setItem('livedesk.token', t), token);
  await page.goto(url);
  await page.getByTestId('panel-agents').waitFor({ timeout: WAIT });
  return page;
}

describe.skipIf(!hasChromium)('operator commands on the agent panel in Chromium', () => {
  const desk = useDashboard({ auth: { tokens } });
  let agent: DeskAgent;
  beforeAll(async () => {
    agent = await createDeskAgent({
      url: desk.app.url,
      token: 'operator-token-0123456789',
      id: 'e2e-bot',
      name: 'E2E bot',
      commands: {
        flatten: () => {
          throw new Error('nothing held');
        },
      },
    });
  });
  afterAll(() => agent?.close());

  it("lets an operator pause an agent and shows its answer; a viewer sees the state but no buttons; an admin sees who is connected", async () => {
    const operator = await signedIn(desk.context, desk.app.url, 'operator-token-0123456789');
    const state = operator.getByTestId('agent-command-e2e-bot');
    await operator.getByTestId('agent-pause-e2e-bot').click();
    await expect.poll(() => state.getAttribute('data-state'), { timeout: WAIT }).toBe('acknowledged');
    expect(await state.textContent()).toBe('pause: acknowledged (paused)');
    expect(agent.paused).toBe(true);
    await expect.poll(() => operator.getByTestId('agent-status-e2e-bot').textContent(), { timeout: WAIT }).toBe('idle');

    await operator.getByTestId('agent-flatten-e2e-bot').click();
    await expect.poll(() => state.getAttribute('data-state'), { timeout: WAIT }).toBe('rejected');
    expect(await state.textContent()).toBe('flatten: rejected (nothing held)');

    const viewer = await signedIn(desk.context, desk.app.url, 'viewer-token-0123456789');
    await expect.poll(() => viewer.getByTestId('agent-command-e2e-bot').textContent(), { timeout: WAIT }).toBe('flatten: rejected (nothing held)');
    expect(await viewer.getByTestId('agent-pause-e2e-bot').count()).toBe(0);
    expect(await viewer.getByTestId('panel-system').count()).toBe(0);

    const admin = await signedIn(desk.context, desk.app.url, 'admin-token-0123456789');
    const counts = admin.getByTestId('presence-counts');
    await expect.poll(() => counts.textContent(), { timeout: WAIT }).toBe('Connected: 3 dashboards, 1 agent, 0 scripts');
    const agentRow = admin.getByTestId('presence-row').and(admin.locator('[data-kind="agent"]'));
    expect(await agentRow.textContent()).toContain('agent e2e-bot');
    expect(await agentRow.textContent()).toContain('alice');
  }, 90_000);

  it('says the desk is offline when a command is sent while it is away', async () => {
    const operator = await signedIn(desk.context, desk.app.url, 'operator-token-0123456789');
    await operator.getByTestId('agent-pause-e2e-bot').waitFor({ timeout: WAIT });
    const port = desk.app.port;
    await desk.app.stop();
    await expect.poll(() => operator.getByTestId('connection-badge').getAttribute('data-status'), { timeout: WAIT }).not.toBe('live');
    await operator.getByTestId('agent-resume-e2e-bot').click();
    expect(await operator.getByTestId('agent-command-error').textContent()).toBe('e2e-bot: The desk is offline: nothing was sent. Try again once the badge says Live.');
    desk.app = await startDesk({ port, auth: { tokens } });
    await operator.close();
  }, 60_000);
});
