import { describe, expect, it } from 'vitest';
import { createAppliedEvents } from './applied-events';

describe('createAppliedEvents', () => {
  it('confirms an id once its stream shows it or a later one', async () => {
    const applied = createAppliedEvents();
    applied.observe('market.onTrades', '10');
    const wait = applied.waitFor('market.onTrades', '12');
    applied.observe('market.onPrices', '20'); // another stream does not count
    applied.observe('market.onTrades', '12');
    await expect(wait).resolves.toBe(true);
  });
  it('says false for a stream with no view on screen, or one that never gets there', async () => {
    const applied = createAppliedEvents();
    await expect(applied.waitFor('feeds.onCustom', '1')).resolves.toBe(false);
    applied.observe('feeds.onSignals', '1');
    await expect(applied.waitFor('feeds.onSignals', '5', 20)).resolves.toBe(false);
  });
});
