import { describe, expect, it } from 'vitest';
import { addSample, emptyThroughput } from './throughput';

describe('addSample', () => {
  it('turns counters into per-second rates', () => {
    let s = addSample(emptyThroughput, { ts: 0, messagesSent: 0, events: 0 }, 10);
    s = addSample(s, { ts: 500, messagesSent: 100, events: 10 }, 10);
    s = addSample(s, { ts: 1500, messagesSent: 400, events: 30 }, 10);
    expect(s.messages).toEqual([200, 300]);
    expect(s.events).toEqual([20, 20]);
  });

  it('ignores repeated samples, keeps the newest rates and starts over when counters reset', () => {
    let s = addSample(emptyThroughput, { ts: 0, messagesSent: 0, events: 0 }, 2);
    for (let i = 1; i <= 4; i++) s = addSample(s, { ts: i * 1000, messagesSent: i * 10, events: i }, 2);
    expect(s.messages).toEqual([10, 10]);
    expect(addSample(s, { ts: 4000, messagesSent: 99, events: 9 }, 2)).toBe(s);
    const restarted = addSample(s, { ts: 5000, messagesSent: 3, events: 1 }, 2);
    expect(restarted.messages).toEqual([]);
    expect(restarted.last?.messagesSent).toBe(3);
  });
});
