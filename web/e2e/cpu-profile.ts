/**
 * Reading a Chromium CPU profile (the DevTools `Profiler` domain's `Profile`): where the page's
 * time went overall, and inside its busy stretches over 50 ms, the long tasks that break frames.
 */

/** The parts of a DevTools `Profiler.Profile` read here. */
export interface CpuProfile {
  nodes: { id: number; parent?: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Milliseconds of self time per function, biggest first. */
export interface Hotspot {
  name: string;
  selfMs: number;
}

export interface ProfileSummary {
  /** Self time per function over the whole profile. */
  top: Hotspot[];
  /** Busy stretches (no idle sample) longer than `longMs`: their count and the self time of the functions in them. */
  long: { count: number; totalMs: number; maxMs: number; top: Hotspot[]; byComponent: Hotspot[] };
}

const IDLE = '(idle)';

/** Where a profile's time went; a stretch of samples with no idle one between them counts as one task. */
export function summarizeProfile(profile: CpuProfile, { longMs = 50, limit = 15 } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    if (node.parent !== undefined) parentOf.set(node.id, node.parent);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  const label = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    const file = frame.url.split('/').pop() ?? '';
    return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`.trim();
  };
  // The nearest caller that looks like a React component (a capitalised function name): which part of the page did the work.
  const componentOf = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      if (/^[A-Z][A-Za-z0-9]+$/.test(name)) return name;
    }
    return '(no component)';
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const all = new Map<string, number>();
  const inLong = new Map<string, number>();
  const components = new Map<string, number>();
  const long = { count: 0, totalMs: 0, maxMs: 0 };
  let run: { ids: number[]; ms: number[] } = { ids: [], ms: [] };
  const endRun = () => {
    const ms = run.ms.reduce((a, b) => a + b, 0);
    if (ms > longMs) {
      long.count++;
      long.totalMs += ms;
      long.maxMs = Math.max(long.maxMs, ms);
      run.ids.forEach((id, i) => {
        add(inLong, label(id), run.ms[i]!);
        add(components, componentOf(id), run.ms[i]!);
      });
    }
    run = { ids: [], ms: [] };
  };
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the gap to the next one.
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const id = samples[i]!;
    const name = byId.get(id)!.callFrame.functionName;
    add(all, label(id), ms);
    if (name === IDLE) endRun();
    else {
      run.ids.push(id);
      run.ms.push(ms);
    }
  }
  endRun();
  return {
    top: ranked(all, limit),
    long: { count: long.count, totalMs: Math.round(long.totalMs), maxMs: Math.round(long.maxMs), top: ranked(inLong, limit), byComponent: ranked(components, limit) },
  };
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function ranked(map: Map<string, number>, limit: number): Hotspot[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, selfMs: Math.round(ms * 10) / 10 }));
}
