/**
 * Long tasks read from a Chromium trace (`devtools.timeline`): each task over 50 ms on the page's
 * main thread, and what it spent its time on (script, style, layout, paint, GC …), by the trace
 * event names DevTools' Performance panel uses.
 */
import type { BrowserContext } from 'playwright-core';

type Cdp = Awaited<ReturnType<BrowserContext['newCDPSession']>>;

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, µs: below `dur` when the thread waited for a core. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string; lineNumber?: number } };
}

export interface LongTaskBreakdown {
  count: number;
  maxMs: number;
  /** The long tasks' wall time and how much of it the main thread was on a CPU (ms). */
  wallMs: number;
  cpuMs: number;
  /** Time inside the long tasks by the trace event directly under the task (ms). */
  byKind: Record<string, number>;
  /** Script in the long tasks by the function the task entered (ms). */
  byEntry: Record<string, number>;
}

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'].join(',');

/** Starts a trace of the page; the returned function stops it and reads its long tasks. */
export async function traceLongTasks(cdp: Cdp, longMs = 50): Promise<() => Promise<LongTaskBreakdown & { events: unknown[] }>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  return async () => {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await done;
    return { ...breakdown(events, longMs), events };
  };
}

/** The long tasks of the renderer's main thread in `events` and what their time went to. */
const TASK = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

export function breakdown(events: TraceEvent[], longMs: number): LongTaskBreakdown {
  // Chromium may run more than one renderer (a blank start page); the page's is the busiest.
  const perThread = new Map<string, TraceEvent[]>();
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (mains.has(key) && e.ph === 'X' && e.dur !== undefined) perThread.set(key, [...(perThread.get(key) ?? []), e]);
  }
  const onMain = [...perThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  onMain.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // The outermost task events only: RunTask sits inside ThreadControllerImpl::RunTask.
  const tasks: TraceEvent[] = [];
  let taskEnd = -Infinity;
  for (const e of onMain) {
    if (!TASK.has(e.name) || e.ts < taskEnd) continue;
    taskEnd = e.ts + e.dur!;
    if (e.dur! / 1000 > longMs) tasks.push(e);
  }
  const byKind: Record<string, number> = {};
  const byEntry: Record<string, number> = {};
  let maxMs = 0;
  let wallMs = 0;
  let cpuMs = 0;
  for (const task of tasks) {
    maxMs = Math.max(maxMs, task.dur! / 1000);
    wallMs += task.dur! / 1000;
    cpuMs += (task.tdur ?? task.dur!) / 1000;
    const end = task.ts + task.dur!;
    const inside = onMain.filter((e) => !TASK.has(e.name) && e.ts >= task.ts && e.ts + e.dur! <= end);
    // Only the outermost events inside the task, so nested ones are not counted twice.
    let coveredTo = task.ts;
    for (const event of inside) {
      if (event.ts < coveredTo) continue;
      coveredTo = event.ts + event.dur!;
      const ms = event.dur! / 1000;
      byKind[event.name] = (byKind[event.name] ?? 0) + ms;
      if (event.name === 'FunctionCall' || event.name === 'TimerFire' || event.name === 'FireAnimationFrame' || event.name === 'EventDispatch') {
        const data = event.args?.data;
        const entry = `${event.name} ${data?.functionName || ''} ${(data?.url ?? '').split('/').pop()}:${data?.lineNumber ?? ''}`;
        byEntry[entry] = (byEntry[entry] ?? 0) + ms;
      }
    }
  }
  return { count: tasks.length, maxMs: Math.round(maxMs), wallMs: Math.round(wallMs), cpuMs: Math.round(cpuMs), byKind: rounded(byKind), byEntry: rounded(byEntry) };
}

function rounded(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, v]) => [k, Math.round(v * 10) / 10]),
  );
}
