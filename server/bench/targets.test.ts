import { describe, expect, it } from 'vitest';
import type { FanoutResult } from './fanout';
import type { Injection, Target } from './protocol';
import { checkTargets } from './targets';

function run(target: Target, injection: Injection, figures: { max: number; p99: number; cpu: number; heap: number }): FanoutResult {
  return {
    target,
    injection,
    n: 1000,
    heapPerConnKB: figures.heap + 0.5,
    warmHeapPerConnKB: figures.heap,
    warmup: 1000,
    latency: { p99: figures.p99, serverCpuUsPerDelivery: figures.cpu },
    max: { deliveriesPerSec: figures.max, capped: false },
  } as FanoutResult;
}

describe('checkTargets', () => {
  it('says met or not from the ratios of the same run, and not measured for what is missing', () => {
    const fanout = [
      run('livedesk', 'burst', { max: 900_000, p99: 30, cpu: 12, heap: 4.0 }),
      run('ws', 'burst', { max: 80_000, p99: 25, cpu: 10, heap: 3.0 }),
      run('ws-coalescing', 'burst', { max: 1_000_000, p99: 25, cpu: 10, heap: 3.0 }),
    ];
    const injection = [
      run('livedesk', 'one', { max: 120_000, p99: 26, cpu: 10.5, heap: 4.0 }),
      run('ws', 'one', { max: 80_000, p99: 25, cpu: 10, heap: 3.0 }),
    ];
    const checks = checkTargets({ fanout, injection, injectN: 1000 });
    expect(checks.map((c) => c.met)).toEqual([true, null, false, true, true, false, null, null, null, null]);
    expect(checks[0]!.measured).toContain('1.50x');
    expect(checks[4]!.measured).toBe('10.5 vs 10.0 µs, 1.05x (bursts: 12.0 vs 10.0 µs, 1.20x)');
    expect(checks[5]!.measured).toContain('1.33x');
    expect(checks[5]!.measured).toContain('from the fresh process 4.50 vs 3.50 KB, 1.29x');
    expect(checks[6]!.measured).toBe('not measured in this run');
  });

  it('checks the bytes of the state streams with compact deltas in packed frames against 5x, and says what plain patches and deflate give', () => {
    const deflateRun = (deflate: boolean, deltas: boolean, wireBytesPerSec: number) => ({ deflate, deltas, mode: deltas ? ('deltas' as const) : ('whole' as const), n: 200, wireBytesPerSec, serverCpuUsPerSec: 0, serverCpuUsPerFrame: 0, heapPerConnection: 0, rssPerConnection: 0, framesPerSec: 0 });
    const bytes = {
      seconds: 8,
      ticksPerSecond: 8,
      streams: [
        { path: 'market.onPortfolio', whole: 2600, deltas: 2500, compact: 520, ratio: 1.04, compactRatio: 5, wholeMessages: 1800, deltasMessages: 1700, messagesPerSec: 8 },
      ],
      total: { whole: 6000, deltas: 5000, compact: 1250, ratio: 1.2, compactRatio: 4.8 },
      packedFramesPerSec: 8,
      load: { before: [1, 1, 1], after: [1, 1, 1] },
      deflate: [deflateRun(false, false, 1000), deflateRun(true, true, 180)],
    };
    const [check] = checkTargets({ fanout: [], injection: [], bytes, injectN: 1000 }).slice(-1);
    expect(check!.met).toBe(false);
    expect(check!.measured).toContain('4.80x (onPortfolio 5.00x); plain patches 1.20x');
    expect(check!.measured).toContain('5.56x at N = 200');
    const [met] = checkTargets({ fanout: [], injection: [], bytes: { ...bytes, total: { ...bytes.total, compact: 1000, compactRatio: 6 } }, injectN: 1000 }).slice(-1);
    expect(met!.met).toBe(true);
  });
});
