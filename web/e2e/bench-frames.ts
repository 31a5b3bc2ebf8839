/**
 * Frame-time benchmark: the dashboard in headless Chromium while the simulator runs at 1,000
 * ticks/s. Reports frame-time p50/p95, long tasks (over 50 ms, as Chromium's `longtask` entries
 * are), the page's CPU and main-thread time by kind and the machine's load average over 10 s, and
 * the first load's gzipped size; then Chromium's CPU for a fixed workload (8,000 ticks stepped in
 * 8 s), which compares builds on a shared machine better than frame times do; writes
 * artifacts/bench-frames.json.
 *
 *     npm run bench:frames
 *     BENCH_CPU_THROTTLE=4 npm run bench:frames   # the page on a CPU four times slower
 *     BENCH_BUILD=/tmp/before npm run bench:frames # a build made with `vite build --outDir /tmp/before`
 *     BENCH_PROFILE=1 npm run bench:frames         # and a CPU profile of the measured 10 s: where the script time goes
 *     BENCH_TRACE=1 npm run bench:frames           # and a trace of the measured 10 s: each long task's time by kind
 *
 * Frame times on a shared machine say as much about the neighbours as about the page; the
 * main-thread figures (busy ms per second) are the page's own work and compare across runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { App } from '../../server/app';
import { measureFirstLoad } from '../build/first-load';
import { summarizeProfile, type CpuProfile } from './cpu-profile';
import { traceLongTasks } from './long-task-trace';
import { buildDashboard, hasChromium, launchBrowser, ROOT, STATIC_DIR, startDesk } from './harness';

const TICKS_PER_SECOND = Number(process.env.BENCH_TICKS ?? 1000);
const WARMUP_MS = 2000;
const MEASURE_MS = Number(process.env.BENCH_MS ?? 10_000);
/** Chromium's CPU slowdown factor for the page (1 = none), to see the page as a loaded machine would run it. */
const CPU_THROTTLE = Number(process.env.BENCH_CPU_THROTTLE ?? 1);
/** A build of the dashboard to measure instead of building dist/web: to compare two builds run by run, in turn. */
const BUILD = process.env.BENCH_BUILD;
/** Records Chromium's sampling CPU profile while measuring (it costs the page some time of its own). */
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Records a Chromium trace while measuring, to say what the long tasks spent their time on. */
const TRACE = process.env.BENCH_TRACE === '1';

interface PageResult {
  frames: number;
  frameTimes: number[];
  longTasks: { count: number; totalMs: number; maxMs: number };
}

/**
 * The in-page measurement, as source text: a function handed to `page.evaluate` would be rewritten
 * by the TypeScript loader with helpers the page does not have.
 */
function measureInPage(durationMs: number): string {
  return `(async () => {
    const frameTimes = [];
    const longTasks = { count: 0, totalMs: 0, maxMs: 0 };
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        longTasks.count++;
        longTasks.totalMs += entry.duration;
        longTasks.maxMs = Math.max(longTasks.maxMs, entry.duration);
      }
    });
    observer.observe({ type: 'longtask', buffered: false });
    await new Promise((resolve) => {
      let start = 0;
      let last = 0;
      const tick = (now) => {
        frameTimes.push(now - last);
        last = now;
        if (now - start < ${durationMs}) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame((now) => {
        start = now;
        last = now;
        requestAnimationFrame(tick);
      });
    });
    observer.disconnect();
    return { frames: frameTimes.length, frameTimes, longTasks };
  })()`;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  if (!hasChromium) {
    console.error('bench-frames needs /usr/bin/chromium (apt-get install -y chromium).');
    process.exitCode = 1;
    return;
  }
  if (!BUILD) await buildDashboard();
  const staticDir = BUILD ?? STATIC_DIR;
  const firstLoad = measureFirstLoad(staticDir).gzipBytes;
  const app = await startDesk({ staticDir, sim: { enabled: true, ticksPerSecond: TICKS_PER_SECOND } });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    let wsFrames = 0;
    page.on('websocket', (ws) => ws.on('framereceived', () => wsFrames++));
    await page.goto(app.url);
    await page.locator('[data-testid="connection-badge"][data-status="live"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('price-row-AAPL').waitFor({ timeout: 30_000 });
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (CPU_THROTTLE !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
    await page.waitForTimeout(WARMUP_MS);

    const browserCdp = await browser.context.browser()!.newBrowserCDPSession();
    const load = loadavg();
    const processesBefore = await processCpu(browserCdp);
    const threadBefore = await mainThread(cdp);
    const eventsBefore = app.desk.hub.lastId;
    // The desk runs in this process: its CPU share shows how much of the machine the feed itself takes.
    const cpuBefore = process.cpuUsage();
    const wsBefore = wsFrames;
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const stopTrace = TRACE ? await traceLongTasks(cdp) : null;
    const result = (await page.evaluate(measureInPage(MEASURE_MS))) as PageResult;
    const trace = stopTrace ? await stopTrace() : null;
    const profile = PROFILE ? ((await cdp.send('Profiler.stop')).profile as CpuProfile) : null;
    const cpu = process.cpuUsage(cpuBefore);
    const thread = perSecond(threadBefore, await mainThread(cdp), MEASURE_MS);
    const processes = await processCpu(browserCdp);
    const cpuMsPerSecond = (type: string) => round(((processes.get(type) ?? 0) - (processesBefore.get(type) ?? 0)) / (MEASURE_MS / 1000) * 1000);
    const loadAfter = loadavg();
    const fixed = await fixedWorkload(app, browserCdp);
    const events = app.desk.hub.lastId - eventsBefore;
    const received = wsFrames - wsBefore;

    const sorted = [...result.frameTimes].sort((a, b) => a - b);
    const summary = {
      ticksPerSecond: TICKS_PER_SECOND,
      durationMs: MEASURE_MS,
      eventsPerSecond: Math.round(events / (MEASURE_MS / 1000)),
      wsMessagesPerSecond: Math.round(received / (MEASURE_MS / 1000)),
      serverCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / MEASURE_MS) * 100),
      firstLoadGzipKB: { total: kB(firstLoad.total), js: kB(firstLoad.js), css: kB(firstLoad.css) },
      cpus: availableParallelism(),
      cpuThrottle: CPU_THROTTLE,
      loadAverage: { before: load.map(round2), after: loadAfter.map(round2) },
      mainThreadMsPerSecond: thread,
      chromiumCpuMsPerSecond: { renderer: cpuMsPerSecond('renderer'), gpu: cpuMsPerSecond('GPU'), browser: cpuMsPerSecond('browser') },
      fixedWorkloadCpuMs: fixed,
      frames: result.frames,
      fps: Math.round((result.frames / MEASURE_MS) * 1000 * 10) / 10,
      frameMs: {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? 0),
      },
      longTasks: { count: result.longTasks.count, totalMs: round(result.longTasks.totalMs), maxMs: round(result.longTasks.maxMs) },
    };

    const throttled = CPU_THROTTLE === 1 ? '' : `, page CPU slowed ${CPU_THROTTLE}x`;
    console.log(`\nDashboard frame times, simulator at ${TICKS_PER_SECOND} ticks/s, ${MEASURE_MS / 1000} s in headless Chromium${throttled}\n`);
    console.table({
      'events/s committed': summary.eventsPerSecond,
      'ws messages/s received': summary.wsMessagesPerSecond,
      'desk process CPU (%)': summary.serverCpuPct,
      'first load, gzip (kB)': summary.firstLoadGzipKB.total,
      'CPUs': summary.cpus,
      'load average 1/5/15 min, before': summary.loadAverage.before.join(' / '),
      'load average 1/5/15 min, after': summary.loadAverage.after.join(' / '),
      'page renderer CPU (ms/s)': summary.chromiumCpuMsPerSecond.renderer,
      'Chromium GPU + browser CPU (ms/s)': round(summary.chromiumCpuMsPerSecond.gpu + summary.chromiumCpuMsPerSecond.browser),
      'page main thread busy (ms/s)': thread.task,
      '  script (ms/s)': thread.script,
      '  style + layout (ms/s)': thread.styleLayout,
      'frames': summary.frames,
      'fps': summary.fps,
      'frame p50 (ms)': summary.frameMs.p50,
      'frame p95 (ms)': summary.frameMs.p95,
      'frame p99 (ms)': summary.frameMs.p99,
      'frame max (ms)': summary.frameMs.max,
      'long tasks': summary.longTasks.count,
      'long tasks total (ms)': summary.longTasks.totalMs,
      'longest task (ms)': summary.longTasks.maxMs,
      [`fixed ${FIXED_TICKS} ticks: renderer CPU (ms)`]: fixed.renderer,
      [`fixed ${FIXED_TICKS} ticks: GPU process CPU (ms)`]: fixed.gpu,
    });
    const dir = join(ROOT, 'artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bench-frames.json'), `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`written to ${join(dir, 'bench-frames.json')}`);
    if (trace) {
      writeFileSync(join(dir, 'bench-frames.trace.json'), JSON.stringify({ traceEvents: trace.events }));
      console.log(`\nLong tasks in the trace: ${trace.count}, longest ${trace.maxMs} ms, ${trace.wallMs} ms in all of which the main thread ran ${trace.cpuMs} ms; their time by kind (ms):`);
      console.table(trace.byKind);
      console.log('…their script by entry point (ms):');
      console.table(trace.byEntry);
    }
    if (profile) {
      writeFileSync(join(dir, 'bench-frames.cpuprofile'), JSON.stringify(profile));
      const { top, long } = summarizeProfile(profile);
      console.log('\nSelf time by function over the measured time (ms):');
      console.table(Object.fromEntries(top.map((h) => [h.name, h.selfMs])));
      console.log(`Busy stretches over 50 ms in the profile: ${long.count}, ${long.totalMs} ms in all, longest ${long.maxMs} ms; their time by function (ms):`);
      console.table(Object.fromEntries(long.top.map((h) => [h.name, h.selfMs])));
      console.log('…and by the nearest component up the stack (ms):');
      console.table(Object.fromEntries(long.byComponent.map((h) => [h.name, h.selfMs])));
      console.log(`profile written to ${join(dir, 'bench-frames.cpuprofile')} (open it in Chromium's DevTools, Performance panel)`);
    }
  } finally {
    await browser.close();
    await app.stop();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
const kB = (bytes: number) => round(bytes / 1000);
const round2 = (n: number) => Math.round(n * 100) / 100;

type Cdp = Awaited<ReturnType<BrowserContext['newCDPSession']>>;
type ThreadTimes = { task: number; script: number; styleLayout: number };

/** The page's cumulative main-thread seconds (Chromium's Performance domain). */
async function mainThread(cdp: Cdp): Promise<ThreadTimes> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const of = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { task: of('TaskDuration'), script: of('ScriptDuration'), styleLayout: of('RecalcStyleDuration') + of('LayoutDuration') };
}

/** Ticks of the fixed workload: 100 every 100 ms. */
const FIXED_TICKS = 8000;

/**
 * Chromium's CPU for the same work whatever the machine does meanwhile: the simulator stopped,
 * then stepped 100 ticks every 100 ms, 8,000 in all, and a second to settle. Frame times on a
 * loaded machine measure the neighbours; this measures the page (less exactly: a starved page
 * folds more updates into each frame).
 */
async function fixedWorkload(app: App, cdp: Cdp): Promise<{ renderer: number; gpu: number }> {
  app.sim.stop();
  const before = await processCpu(cdp);
  for (let i = 0; i < FIXED_TICKS / 100; i++) {
    app.sim.step(100);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await processCpu(cdp);
  const ms = (type: string) => Math.round(((after.get(type) ?? 0) - (before.get(type) ?? 0)) * 1000);
  return { renderer: ms('renderer'), gpu: ms('GPU') };
}

/** CPU seconds used so far by each kind of Chromium process (renderer, GPU, browser, …), summed per kind. */
async function processCpu(cdp: Cdp): Promise<Map<string, number>> {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  const byType = new Map<string, number>();
  for (const p of processInfo) byType.set(p.type, (byType.get(p.type) ?? 0) + p.cpuTime);
  return byType;
}

/** Busy milliseconds per second of wall time between two readings. */
function perSecond(before: ThreadTimes, after: ThreadTimes, ms: number): ThreadTimes {
  const rate = (a: number, b: number) => round(((b - a) * 1000) / (ms / 1000));
  return { task: rate(before.task, after.task), script: rate(before.script, after.script), styleLayout: rate(before.styleLayout, after.styleLayout) };
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
