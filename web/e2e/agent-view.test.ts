import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskClient, type DeskClient } from '../../shared/node';
import { seriousAxeFindings } from './axe';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;
const AGENT = 'view-bot';

/** The test id of the element that has focus. */
const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);
/** A figure of the agent view, as the number it shows (data-value; null for "—"). */
const figure = async (page: Page, id: string) => {
  const value = await page.getByTestId(`agent-stat-${id}`).getAttribute('data-value');
  return value === '' || value === null ? null : Number(value);
};

describe.skipIf(!hasChromium)('the agent view in Chromium', () => {
  const desk = useDashboard();
  let client: DeskClient;
  beforeAll(async () => {
    client = createDeskClient({ url: desk.app.url });
    const { activity, market } = desk.app.desk;
    activity.setAgentStatus({ id: AGENT, name: 'View bot', status: 'idle', metadata: { model: 'rules-v2' } });
    activity.setAgentStatus({ id: AGENT, status: 'active' });
    market.setPrice({ symbol: 'AAPL', price: 100 });
    activity.recordDecision({ agentId: AGENT, symbol: 'AAPL', action: 'buy', confidence: 0.7, reasoning: 'cheap', executeQty: 10 });
    market.setPrice({ symbol: 'AAPL', price: 110 });
    activity.recordDecision({ agentId: AGENT, symbol: 'AAPL', action: 'sell', confidence: 0.9, reasoning: 'target hit', executeQty: 4 });
    activity.recordDecision({ agentId: AGENT, symbol: 'AAPL', action: 'hold', confidence: 0.3, reasoning: 'wait' });
    activity.upsertTask({ agentId: AGENT, type: 'scan-market', status: 'running', progress: 0.4 });
    activity.workflowStep({ workflowId: 'daily-rebalance', stage: 'queued', status: 'pending', progress: 0, agentId: AGENT });
    activity.setAgentStatus({ id: AGENT, status: 'busy' });
    await client.api.agents.recordMemory.mutate({ agentId: AGENT, content: 'opening gaps fill by noon', importance: 0.3, tags: ['pattern'] });
    activity.publishSignal({ symbol: 'AAPL', kind: 'breakout', strength: 0.6, source: AGENT });
    activity.publishSignal({ symbol: 'AAPL', kind: 'crossover', strength: -0.2, source: 'desk-rule' });
  });
  afterAll(() => client?.close());

  it('opens from the agents panel with the server’s figures, shows a memory recorded while open live, filters it, and closes on Escape with focus back', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const link = page.getByTestId('panel-agents').getByTestId(`agent-${AGENT}`).getByTestId(`agent-link-${AGENT}`);
    await link.click();
    const dialog = page.getByTestId('agent-view');
    await dialog.getByTestId('agent-stat-realized').waitFor({ timeout: WAIT });
    expect(await dialog.getAttribute('data-agent')).toBe(AGENT);
    expect(await page.evaluate(() => document.querySelector('dialog')?.matches(':modal'))).toBe(true);

    const [stats] = await client.api.agents.stats.query({ agentId: AGENT });
    expect(stats).toMatchObject({ realizedPnl: 40, trades: 2, winRate: 1 });
    expect(await figure(page, 'realized')).toBe(stats!.realizedPnl);
    expect(await figure(page, 'trades')).toBe(stats!.trades);
    expect(await figure(page, 'win-rate')).toBe(stats!.winRate);
    expect(await figure(page, 'decision-rate')).toBe(stats!.decisionToTradeRate);
    expect(await figure(page, 'brier')).toBe(stats!.brierScore);
    expect(await dialog.getByTestId('agent-status-history').locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^busy/),
      expect.stringMatching(/^active/),
      expect.stringMatching(/^idle/),
    ]);
    expect(await dialog.getByTestId('agent-view-decisions').locator('tbody tr').count()).toBe(3);
    expect(await dialog.getByTestId('agent-view-runs').textContent()).toContain('pending');

    const rows = dialog.getByTestId('memory-row');
    await expect.poll(() => rows.count(), { timeout: WAIT }).toBe(1);
    const { memory } = await client.api.agents.recordMemory.mutate({ agentId: AGENT, content: 'spreads widen before the close', importance: 0.9, tags: ['risk'] });
    await expect.poll(() => rows.first().getAttribute('data-id'), { timeout: WAIT }).toBe(memory.id);
    expect(await rows.first().textContent()).toContain('spreads widen before the close');
    await dialog.getByTestId('memory-min-importance').fill('0.5');
    await expect.poll(() => rows.count(), { timeout: WAIT }).toBe(1);
    await dialog.getByTestId('memory-min-importance').fill('0');
    await dialog.getByTestId('memory-tag-pattern').check();
    await expect.poll(() => rows.evaluateAll((r) => r.map((e) => e.textContent ?? '')), { timeout: WAIT }).toEqual([expect.stringContaining('opening gaps')]);

    expect(await seriousAxeFindings(page), 'with the agent view open').toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousAxeFindings(page), 'with the agent view open on a phone').toEqual([]);
    expect(await page.evaluate(() => document.querySelector('dialog')!.scrollWidth <= window.innerWidth)).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    expect(await focused(page)).toBe(`agent-link-${AGENT}`);
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="panel-agents"]') !== null)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('opens from a decision in the decisions feed and gives focus back to it', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const row = page.getByTestId('panel-decisions').locator(`[data-testid="decision-row"][data-agent="${AGENT}"]`).first();
    await row.locator('summary').click();
    const link = row.getByTestId(`agent-link-${AGENT}`);
    await link.click();
    const dialog = page.getByTestId('agent-view');
    await dialog.getByTestId('agent-stat-trades').waitFor({ timeout: WAIT });
    expect(await dialog.getAttribute('data-agent')).toBe(AGENT);
    await dialog.getByTestId('agent-view-close').focus();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="decision-row"]')?.getAttribute('data-agent'))).toBe(AGENT);
    expect(await focused(page)).toBe(`agent-link-${AGENT}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('opens from every place that names the agent, by keyboard: a signal’s source, a task’s owner, a workflow run’s agent; a source that is no agent stays text', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const dialog = page.getByTestId('agent-view');
    const openWithEnter = async (link: ReturnType<Page['getByTestId']>, where: string) => {
      await link.focus({ timeout: WAIT });
      await page.keyboard.press('Enter');
      await dialog.getByTestId('agent-stat-trades').waitFor({ timeout: WAIT });
      expect(await dialog.getAttribute('data-agent'), where).toBe(AGENT);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached', timeout: WAIT });
      expect(await focused(page), where).toBe(`agent-link-${AGENT}`);
    };
    const tasks = page.getByTestId('tasks-list').getByTestId('task-row');
    await openWithEnter(tasks.getByTestId(`agent-link-${AGENT}`), 'task owner');
    await openWithEnter(page.getByTestId('workflows-list').getByTestId('workflow-row').getByTestId(`agent-link-${AGENT}`), 'workflow run');

    await page.getByTestId('feeds-tab-signals').click();
    const signals = page.getByTestId('signals-list');
    await openWithEnter(signals.getByTestId('signal-row').getByTestId(`agent-link-${AGENT}`), 'signal source');
    const other = signals.getByTestId('signal-row').filter({ hasText: 'desk-rule' });
    await other.waitFor({ timeout: WAIT });
    expect(await other.locator('button').count()).toBe(0);
    expect(await seriousAxeFindings(page), 'with agent links in the signals, tasks and runs').toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('while replaying, shows the agent as of the replayed moment (figures, status, decisions then) and says so; back to live, as of now', async () => {
    const PAST = 'past-bot';
    const { activity, market } = desk.app.desk;
    activity.setAgentStatus({ id: PAST, name: 'Past bot', status: 'active' });
    market.setPrice({ symbol: 'AAPL', price: 100 });
    const { eventId } = activity.recordDecision({ agentId: PAST, symbol: 'AAPL', action: 'buy', confidence: 0.6, reasoning: 'then', executeQty: 3 });
    const moment = String(eventId);
    market.setPrice({ symbol: 'AAPL', price: 120 });
    activity.recordDecision({ agentId: PAST, symbol: 'AAPL', action: 'sell', confidence: 0.8, reasoning: 'later', executeQty: 3 });
    activity.setAgentStatus({ id: PAST, status: 'busy' });
    const [then] = await client.api.agents.stats.query({ agentId: PAST, at: moment });
    const [now] = await client.api.agents.stats.query({ agentId: PAST });
    expect(then).toMatchObject({ trades: 1, realizedPnl: 0, decisions: 1 });
    expect(now).toMatchObject({ trades: 2, realizedPnl: 60, decisions: 2 });

    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const dialog = page.getByTestId('agent-view');
    const openView = async () => {
      await page.getByTestId('panel-agents').getByTestId(`agent-${PAST}`).getByTestId(`agent-link-${PAST}`).click({ timeout: WAIT });
      await dialog.getByTestId('agent-stat-trades').waitFor({ timeout: WAIT });
    };
    await page.getByTestId('timeline-toggle').click();
    await page.getByTestId('timeline-event-id').fill(moment);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByTestId('timeline-readout').textContent(), { timeout: WAIT }).toMatch(/paused$/);
    await openView();
    const note = dialog.getByTestId('agent-view-as-of');
    await note.waitFor({ timeout: WAIT });
    expect(await note.getAttribute('data-event-id')).toBe(moment);
    expect(await note.textContent()).toMatch(/^As of \d\d:\d\d:\d\d/);
    expect(await figure(page, 'trades')).toBe(then!.trades);
    expect(await figure(page, 'realized')).toBe(then!.realizedPnl);
    expect(await dialog.getByTestId('agent-view-status').textContent()).toBe('active');
    expect(await dialog.getByTestId('agent-view-decisions').locator('tbody tr').count()).toBe(1);
    expect(await seriousAxeFindings(page), 'with the agent view as of a moment').toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });

    await page.getByTestId('timeline-live').click();
    await expect.poll(() => page.getByTestId('connection-label').textContent(), { timeout: WAIT }).toBe('Live');
    await openView();
    await expect.poll(() => figure(page, 'trades'), { timeout: WAIT }).toBe(now!.trades);
    expect(await figure(page, 'realized')).toBe(now!.realizedPnl);
    expect(await dialog.getByTestId('agent-view-as-of').count()).toBe(0);
    expect(await dialog.getByTestId('agent-view-status').textContent()).toBe('busy');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
