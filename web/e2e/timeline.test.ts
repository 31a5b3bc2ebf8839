import { describe, expect, it } from 'vitest';
import { hasChromium, openDashboard, useDashboard } from './harness';

const WAIT = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!hasChromium)('the timeline, in Chromium', () => {
  const desk = useDashboard();

  it('scrubs the whole desk back to an event id, plays it at 100x and ends back live', async () => {
    const { market } = desk.app.desk;
    market.setPrice({ symbol: 'TML', price: 50 });
    const first = market.executeTrade({ symbol: 'TML', side: 'buy', qty: 5 });
    await sleep(300);
    market.executeTrade({ symbol: 'TML', side: 'buy', qty: 7 });
    const { page, errors } = await openDashboard(desk.context, desk.app.url);
    const qty = page.getByTestId('position-qty-TML');
    const badge = page.getByTestId('connection-label');
    await expect.poll(() => qty.textContent(), { timeout: WAIT }).toBe('12');
    await expect.poll(() => badge.textContent(), { timeout: WAIT }).toBe('Live');

    // Back to the moment of the first trade: the position as it was then, every panel marked.
    await page.getByTestId('timeline-toggle').click();
    await page.getByTestId('timeline-event-id').fill(String(first.eventId));
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => qty.textContent(), { timeout: WAIT }).toBe('5');
    expect(await badge.textContent()).toBe('Replay');
    expect(await page.getByTestId('timeline-readout').textContent()).toMatch(/^Replay at \d\d:\d\d:\d\d · paused$/);
    for (const panel of ['panel-positions', 'panel-trades', 'panel-portfolio']) {
      await expect.poll(() => page.getByTestId(`${panel}-replay`).textContent(), { timeout: WAIT }).toMatch(/^replay at \d\d:\d\d:\d\d$/);
    }
    // Still in the past while the desk goes on.
    market.executeTrade({ symbol: 'TML', side: 'buy', qty: 1 });
    await sleep(500);
    expect(await qty.textContent()).toBe('5');

    // Played at 100x: the recorded trades arrive, the replay reaches now and the desk is live again.
    await page.getByTestId('timeline-play-100').click();
    await expect.poll(() => badge.textContent(), { timeout: WAIT }).toBe('Live');
    await expect.poll(() => qty.textContent(), { timeout: WAIT }).toBe('13');
    expect(await page.getByTestId('panel-positions-replay').count()).toBe(0);
    expect(await page.getByTestId('timeline-readout').textContent()).toBe('Live');
    // Live for real: a new trade arrives on the same streams.
    market.executeTrade({ symbol: 'TML', side: 'sell', qty: 3 });
    await expect.poll(() => qty.textContent(), { timeout: WAIT }).toBe('10');

    expect(errors).toEqual([]);

    // A moment before the oldest one the desk can rebuild is refused in words (its query answered 404).
    await page.getByTestId('timeline-event-id').fill('1');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByTestId('timeline-refusal').textContent(), { timeout: WAIT }).toMatch(/before the oldest moment/);
    expect(await badge.textContent()).toBe('Live');
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
  }, 60_000);
});
