import { describe, expect, it } from 'vitest';
import { summarizeProfile, type CpuProfile } from './cpu-profile';
import { breakdown } from './long-task-trace';

const thread = (pid: number, tid: number, name: string) => ({ name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name } });
const x = (name: string, ts: number, durMs: number, extra: object = {}) => ({ name, ph: 'X', ts, dur: durMs * 1000, pid: 1, tid: 1, ...extra });

describe('long tasks read from a trace', () => {
  it('counts each task over the limit once, with its CPU time and what it spent it on', () => {
    const events = [
      thread(1, 1, 'CrRendererMain'),
      // a 60 ms task (RunTask nested in the scheduler's own task event) that ran 20 ms on a CPU
      x('ThreadControllerImpl::RunTask', 0, 60, { tdur: 20_000 }),
      x('RunTask', 10, 59, { tdur: 20_000 }),
      x('FireAnimationFrame', 20, 30, { args: { data: { functionName: 'run', url: 'http://x/assets/index.js', lineNumber: 5 } } }),
      x('FunctionCall', 30, 20),
      x('Layerize', 40_000, 10),
      // a short task, not counted
      x('RunTask', 100_000, 5),
      x('Paint', 100_010, 4),
    ];
    const result = breakdown(events, 50);
    expect(result).toMatchObject({ count: 1, maxMs: 60, wallMs: 60, cpuMs: 20 });
    expect(result.byKind).toEqual({ FireAnimationFrame: 30, Layerize: 10 });
    expect(result.byEntry).toEqual({ 'FireAnimationFrame run index.js:5': 30 });
  });

  it("reads the busiest renderer's main thread when there are two", () => {
    const other = { ...x('RunTask', 0, 80), pid: 2, tid: 2 };
    const events = [thread(1, 1, 'CrRendererMain'), thread(2, 2, 'CrRendererMain'), other, x('RunTask', 0, 10), x('RunTask', 20_000, 10)];
    expect(breakdown(events, 50).count).toBe(0);
  });
});

describe('a CPU profile summarised', () => {
  const frame = (functionName: string) => ({ functionName, url: 'http://x/assets/index.js', lineNumber: 0, columnNumber: 0 });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('DecisionsPanel'), children: [5] },
      { id: 4, callFrame: frame('(garbage collector)') },
      { id: 5, callFrame: frame('useMemo') },
    ],
    // idle, then 60 ms busy (useMemo under DecisionsPanel, then GC), idle, then 10 ms busy
    samples: [2, 5, 5, 4, 2, 3, 2],
    timeDeltas: [0, 1000, 20_000, 20_000, 20_000, 1000, 10_000],
  };

  it('finds the busy stretch over 50 ms and names the component its time went to', () => {
    const { top, long } = summarizeProfile(profile);
    expect(top[0]).toEqual({ name: 'useMemo index.js:1:1', selfMs: 40 });
    expect(long).toMatchObject({ count: 1, totalMs: 60, maxMs: 60 });
    expect(long.byComponent).toEqual([
      { name: 'DecisionsPanel', selfMs: 40 },
      { name: '(no component)', selfMs: 20 },
    ]);
  });
});
