import { describe, expect, it } from 'vitest';
import { createEventWaiter } from './event-waiter';

describe('createEventWaiter', () => {
  it('resolves once an id at or past the awaited one was observed', async () => {
    const waiter = createEventWaiter();
    let done = false;
    const wait = waiter.waitFor('105').then(() => (done = true));
    waiter.observe('100');
    await Promise.resolve();
    expect(done).toBe(false);
    waiter.observe('107');
    await wait;
    expect(done).toBe(true);
    expect(waiter.newest).toBe('107');
  });
  it('resolves at once for an id already seen or for null', async () => {
    const waiter = createEventWaiter();
    waiter.observe('10');
    await expect(waiter.waitFor('9')).resolves.toBeUndefined();
    await expect(waiter.waitFor(null)).resolves.toBeUndefined();
  });
  it('rejects after the timeout', async () => {
    await expect(createEventWaiter().waitFor('1', 10)).rejects.toThrow(/not delivered/);
  });
  it('ignores ids older than the newest', () => {
    const waiter = createEventWaiter();
    waiter.observe('20');
    waiter.observe('5');
    expect(waiter.newest).toBe('20');
  });
});
