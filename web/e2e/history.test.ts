import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;
/** A whole scroll-back reads several pages, each a render of up to 100 more rows: generous on a loaded machine. */
const SCROLL_WAIT = 45_000;
/** Each test's own limit, over the scroll-backs and waits it holds. */
const TEST_TIMEOUT = 120_000;
const TRADES = 130;

/** The ids of the trades list's rows, top to bottom. */
const tradeIds = (page: Page) => page.getByTestId('trades-list').locator(':scope > li').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!));

/** The ids of a list's rows, top to bottom. */
const idsOf = (page: Page, list: string) => page.getByTestId(list).locator(':scope > li').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!));

/** Clicks an Export CSV button and reads the file it downloads (named like `name`) as lines. */
async function exported(page: Page, button: string, name: RegExp): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
  expect(download.suggestedFilename()).toMatch(name);
  return readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
}

/** Scrolls a panel to its bottom until `done` holds for its list (each time the footer comes into view, a page is read). */
async function scrollUntil(page: Page, done: (ids: string[]) => boolean, panel = 'panel-trades', list = 'trades-list') {
  const body = page.getByTestId(`${panel}-body`);
  await expect
    .poll(
      async () => {
        await body.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
        return done(await idsOf(page, list));
      },
      { timeout: SCROLL_WAIT, interval: 200 },
    )
    .toBe(true);
}

describe.skipIf(!hasChromium)('trades blotter history in Chromium', () => {
  // A replay buffer of 60 events: most of the scroll-back is read from the journal.
  const desk = useDashboard({ desk: { hub: { replayCapacity: 60 } } });
  /** Trade ids as made, oldest first. */
  const made: string[] = [];

  it('scrolls back into history below the live rows, each trade once, then searches, sorts and exports what is loaded', async () => {
    const { market } = desk.app.desk;
    market.setPrice({ symbol: 'HST', price: 100 });
    for (let i = 0; i < TRADES; i++) {
      const { trade } = market.executeTrade({ symbol: 'HST', side: i % 2 ? 'sell' : 'buy', qty: i + 1, agentId: i % 10 === 0 ? 'needle' : 'hay' });
      made.push(trade.id);
    }
    const newestFirst = [...made].reverse();
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await expect.poll(() => page.getByTestId('trade-row').count(), { timeout: WAIT }).toBe(50);
    expect(await tradeIds(page)).toEqual(newestFirst.slice(0, 50));

    await scrollUntil(page, (ids) => ids.length === TRADES);
    const ids = await tradeIds(page);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(newestFirst);
    expect(await page.getByTestId('trades-list').getAttribute('data-held')).toBe('true');
    await expect.poll(() => page.getByTestId('trades-history').getAttribute('data-exhausted'), { timeout: WAIT }).toBe('true');

    // A trade made meanwhile is counted as new, not slipped in between.
    market.executeTrade({ symbol: 'HST', side: 'buy', qty: 999, agentId: 'hay' });
    await expect.poll(() => page.getByTestId('trades-new').textContent(), { timeout: WAIT }).toBe('1 new');
    expect(await tradeIds(page)).toEqual(newestFirst);

    await page.getByTestId('trades-search').fill('needle');
    const needles = newestFirst.filter((_, i) => (TRADES - 1 - i) % 10 === 0);
    await expect.poll(() => tradeIds(page), { timeout: WAIT }).toEqual(needles);

    await page.getByTestId('trades-sort').selectOption('qty');
    expect(await page.getByTestId('trades-sort-dir').getAttribute('data-dir')).toBe('desc');
    expect(await tradeIds(page)).toEqual(needles);
    await page.getByTestId('trades-sort-dir').click();
    expect(await page.getByTestId('trades-sort-dir').getAttribute('data-dir')).toBe('asc');
    expect(await tradeIds(page)).toEqual([...needles].reverse());

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trades-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^trades-\d{8}-\d{6}\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,id,agent,decision,symbol,side,qty,price,realizedPnl');
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([...needles].reverse());
    expect(lines.slice(1).every((line) => line.split(',')[2] === 'needle')).toBe(true);

    // Searching paused the feed (the list it searches holds history); Resume at the top follows it again, the history dropped.
    await page.getByTestId('trades-search').fill('');
    await page.getByTestId('trades-sort').selectOption('');
    expect(await page.getByTestId('trades-pause').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('panel-trades-body').evaluate((el) => el.scrollTo({ top: 0 }));
    await page.getByTestId('trades-pause').click();
    await expect.poll(() => tradeIds(page).then((ids) => ids.length), { timeout: WAIT }).toBe(50);
    expect((await tradeIds(page)).slice(1)).toEqual(newestFirst.slice(0, 49));
    expect(await page.getByTestId('trades-list').getAttribute('data-held')).toBe('false');
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('reads what the live window does not hold on "Load older", holding the list', async () => {
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('trades-filter-agent').fill('needle');
    // The snapshot comes from the last 60 events in memory: 5 of the 13 needle trades.
    await expect.poll(() => page.getByTestId('trade-row').count(), { timeout: WAIT }).toBe(5);
    await page.getByTestId('trades-older').click();
    await expect.poll(() => page.getByTestId('trade-row').count(), { timeout: WAIT }).toBe(TRADES / 10);
    const ids = await tradeIds(page);
    expect(ids).toEqual([...made].reverse().filter((_, i) => (TRADES - 1 - i) % 10 === 0));
    await expect.poll(() => page.getByTestId('trades-history').getAttribute('data-exhausted'), { timeout: WAIT }).toBe('true');
    expect(await page.getByTestId('trades-pause').getAttribute('aria-pressed')).toBe('true');
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('scrolls the other blotters back the same way, searching and exporting what they loaded: notifications, decisions and custom events', async () => {
    const { activity, journal } = desk.app.desk;
    for (let i = 0; i < 70; i++) activity.pushNotification({ title: `note ${i}`, body: '', severity: 'info' });
    for (let i = 0; i < 80; i++) activity.broadcastCustom({ type: 'hist', data: { n: i, tag: `#${i}` } });
    for (let i = 0; i < 70; i++) activity.recordDecision({ agentId: 'hist-agent', symbol: 'HST', action: 'hold', confidence: i / 100, reasoning: `#${i}` });
    // What the journal holds, read straight from its table: every item's id, oldest first.
    const journaled = (topic: string) =>
      journal!.db
        .prepare<[string], { body: string }>('SELECT body FROM events WHERE topic = ? ORDER BY id, seq')
        .all(topic)
        .map((row) => (JSON.parse(row.body) as { id: string }).id);
    const notes = journaled('notifications');
    const events = journaled('custom');
    const decisions = journaled('decisions');
    expect([notes.length, events.length, decisions.length]).toEqual([70, 80, 70]);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await page.getByTestId('feeds-tab-notifications').click();
    await expect.poll(() => page.getByTestId('notification-row').count(), { timeout: WAIT }).toBe(30);
    await scrollUntil(page, (ids) => ids.length === notes.length, 'panel-feeds', 'notifications-list');
    expect(await idsOf(page, 'notifications-list')).toEqual([...notes].reverse());

    // The newest 50 rows are the filter's already: wait for the rows fetched with it, not for their count.
    await page.getByTestId('custom-filter-type').fill('hist');
    await expect.poll(() => page.getByTestId('custom-list').getAttribute('data-filter'), { timeout: WAIT }).toBe('hist');
    await expect.poll(() => page.getByTestId('custom-row').count(), { timeout: WAIT }).toBe(50);
    await scrollUntil(page, (ids) => ids.length === events.length, 'panel-custom', 'custom-list');
    expect(await idsOf(page, 'custom-list')).toEqual([...events].reverse());
    // The search reads each event's data, history included: #7 and #70 to #79.
    await page.getByTestId('custom-search').fill('#7');
    const sevens = [...events].reverse().filter((_, i) => /^7\d?$/.test(String(events.length - 1 - i)));
    expect(sevens).toHaveLength(11);
    await expect.poll(() => idsOf(page, 'custom-list'), { timeout: WAIT }).toEqual(sevens);
    const custom = await exported(page, 'custom-export', /^custom-events-\d{8}-\d{6}\.csv$/);
    expect(custom[0]).toBe('time,id,type,data');
    expect(custom[1]!.split(',').slice(1)).toEqual([sevens[0], 'hist', '"{""n"":79', '""tag"":""#79""}"']);
    expect(custom.slice(1).map((line) => line.split(',')[1])).toEqual(sevens);

    await page.getByTestId('decisions-filter-agent').fill('hist-agent');
    await expect.poll(() => page.getByTestId('decisions-list').getAttribute('data-filter'), { timeout: WAIT }).toBe('hist-agent|');
    await expect.poll(() => page.getByTestId('decision-row').count(), { timeout: WAIT }).toBe(50);
    await scrollUntil(page, (ids) => ids.length === decisions.length, 'panel-decisions', 'decisions-list');
    expect(await idsOf(page, 'decisions-list')).toEqual([...decisions].reverse());
    // The export holds what the list holds, history included; reasoning text is quoted where it must be.
    let lines = await exported(page, 'decisions-export', /^decisions-\d{8}-\d{6}\.csv$/);
    expect(lines[0]).toBe('time,id,agent,symbol,action,confidence,trade,reasoning');
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([...decisions].reverse());

    // The search reads the reasoning of the rows loaded from history too: #6 and #60 to #69 (no id
    // holds a '#'; an id, base 36, may well hold 'd6').
    await page.getByTestId('decisions-search').fill('#6');
    const sixes = [...decisions].reverse().filter((_, i) => /^6\d?$/.test(String(decisions.length - 1 - i)));
    expect(sixes).toHaveLength(11);
    await expect.poll(() => idsOf(page, 'decisions-list'), { timeout: WAIT }).toEqual(sixes);
    // Confidence rose with each decision: descending is newest first, ascending oldest first.
    await page.getByTestId('decisions-sort').selectOption('confidence');
    expect(await idsOf(page, 'decisions-list')).toEqual(sixes);
    await page.getByTestId('decisions-sort-dir').click();
    expect(await page.getByTestId('decisions-sort-dir').getAttribute('data-dir')).toBe('asc');
    await expect.poll(() => idsOf(page, 'decisions-list'), { timeout: WAIT }).toEqual([...sixes].reverse());
    lines = await exported(page, 'decisions-export', /^decisions-/);
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([...sixes].reverse());
    expect(lines.slice(1).map((line) => line.split(',').at(-1))).toEqual([...sixes].reverse().map((id) => `#${decisions.indexOf(id)}`));
    // Searching paused the feed, so the history searched stays.
    expect(await page.getByTestId('decisions-pause').getAttribute('aria-pressed')).toBe('true');
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('scrolls the signals tab back, searches and sorts what it loaded and exports it', async () => {
    const { activity, journal } = desk.app.desk;
    const SIGNALS = 120;
    // Every strength differs, so either direction of the strength sort has one order.
    for (let i = 0; i < SIGNALS; i++) activity.publishSignal({ symbol: i % 2 ? 'SGA' : 'SGB', kind: 'cross', strength: i / SIGNALS - 0.5, source: i % 10 === 0 ? 'needle' : 'hay' });
    const made = journal!.db
      .prepare<[], { body: string }>("SELECT body FROM events WHERE topic = 'signals' ORDER BY id, seq")
      .all()
      .map((row) => JSON.parse(row.body) as { id: string; source: string; strength: number });
    expect(made).toHaveLength(SIGNALS);
    const newestFirst = [...made].reverse();
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    await expect.poll(() => page.getByTestId('signal-row').count(), { timeout: WAIT }).toBe(20);
    await scrollUntil(page, (ids) => ids.length === SIGNALS, 'panel-feeds', 'signals-list');
    expect(await idsOf(page, 'signals-list')).toEqual(newestFirst.map((s) => s.id));
    await expect.poll(() => page.getByTestId('feeds-signals-history').getAttribute('data-exhausted'), { timeout: WAIT }).toBe('true');

    await page.getByTestId('feeds-signals-search').fill('needle');
    const needles = newestFirst.filter((s) => s.source === 'needle');
    await expect.poll(() => idsOf(page, 'signals-list'), { timeout: WAIT }).toEqual(needles.map((s) => s.id));
    await page.getByTestId('feeds-signals-sort').selectOption('strength');
    // Descending first: the needles were made with rising strength, so newest first is strongest first.
    const strongest = [...needles].sort((a, b) => b.strength - a.strength).map((s) => s.id);
    expect(await idsOf(page, 'signals-list')).toEqual(strongest);
    await page.getByTestId('feeds-signals-sort-dir').click();
    await expect.poll(() => idsOf(page, 'signals-list'), { timeout: WAIT }).toEqual([...strongest].reverse());

    const lines = await exported(page, 'feeds-signals-export', /^signals-\d{8}-\d{6}\.csv$/);
    expect(lines[0]).toBe('time,id,symbol,kind,source,strength');
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([...strongest].reverse());
    expect(lines.slice(1).map((line) => Number(line.split(',')[5]))).toEqual([...strongest].reverse().map((id) => made.find((s) => s.id === id)!.strength));

    // Another tab keeps its own search: the notifications are not narrowed by the signals' one.
    await page.getByTestId('feeds-tab-notifications').click();
    expect(await page.getByTestId('feeds-notifications-search').inputValue()).toBe('');
    await expect.poll(() => page.getByTestId('notification-row').count(), { timeout: WAIT }).toBeGreaterThan(0);
    await page.getByTestId('feeds-tab-signals').click();
    expect(await page.getByTestId('feeds-signals-search').inputValue()).toBe('needle');
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('reads older metric samples into the metrics table, a name the live window lost among them, then searches, sorts and exports', async () => {
    const { activity, journal } = desk.app.desk;
    // One commit per sample: the replay buffer of 60 events holds only the newest busy ones.
    for (let i = 0; i < 40; i++) activity.recordMetrics([{ name: 'old_metric', value: i, labels: { desk: 'ny' } }]);
    for (let i = 0; i < 150; i++) activity.recordMetrics([{ name: 'busy_metric', value: i % 7, labels: {} }]);
    const old = journal!.db
      .prepare<[], { body: string }>("SELECT body FROM events WHERE topic = 'metrics' ORDER BY id, seq")
      .all()
      .map((row) => JSON.parse(row.body) as { id: string; name: string })
      .filter((m) => m.name === 'old_metric')
      .map((m) => m.id);
    expect(old).toHaveLength(40);
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const row = (name: string) => page.locator(`[data-testid="metric-row"][data-name="${name}"]`);
    const names = () => page.getByTestId('metric-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    await expect.poll(names, { timeout: WAIT }).toEqual(['busy_metric']);
    const live = Number(await row('busy_metric').getAttribute('data-count'));
    expect(live).toBeLessThan(150);

    // The table is short: "Load older" reads a page each time, until history is exhausted.
    const footer = page.getByTestId('metrics-history');
    await expect
      .poll(
        async () => {
          if ((await footer.getAttribute('data-exhausted')) === 'true') return true;
          const older = page.getByTestId('metrics-older');
          if (await older.isVisible()) await older.click();
          return false;
        },
        { timeout: SCROLL_WAIT, interval: 300 },
      )
      .toBe(true);
    expect(await names()).toEqual(['busy_metric', 'old_metric']);
    expect(await row('busy_metric').getAttribute('data-count')).toBe('150');
    expect(await row('old_metric').getAttribute('data-count')).toBe('40');
    expect(await row('old_metric').getByTestId('metric-latest').textContent()).toBe('39');
    expect(await page.getByTestId('metrics-pause').getAttribute('aria-pressed')).toBe('true');

    await page.getByTestId('metrics-sort').selectOption('samples');
    await expect.poll(names, { timeout: WAIT }).toEqual(['busy_metric', 'old_metric']);
    await page.getByTestId('metrics-sort-dir').click();
    await expect.poll(names, { timeout: WAIT }).toEqual(['old_metric', 'busy_metric']);
    // The search reads the labels too.
    await page.getByTestId('metrics-search').fill('desk=ny');
    await expect.poll(names, { timeout: WAIT }).toEqual(['old_metric']);

    const lines = await exported(page, 'metrics-export', /^metrics-\d{8}-\d{6}\.csv$/);
    expect(lines[0]).toBe('time,id,name,value,labels');
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([...old].reverse());
    expect(lines[1]!.split(',').slice(2)).toEqual(['old_metric', '39', '"{""desk"":""ny""}"']);
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);
});
