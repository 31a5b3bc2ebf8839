import { createDesk } from '../store/desk';

/**
 * Writes `events` custom events (commits of 1,000, as a busy metrics source writes them) into the
 * database at `path` through the desk's own journal, so the file is what a long-running desk leaves.
 */
export function prefillJournal(path: string, events: number): { ms: number } {
  const started = performance.now();
  const desk = createDesk({ journal: { path, retainEvents: 0, retainMs: 0 } });
  const { custom } = desk.topics;
  for (let done = 0; done < events; ) {
    const count = Math.min(1_000, events - done);
    desk.hub.commit((tx) => {
      for (let i = 0; i < count; i++) tx.append(custom, { id: `pre${done + i}`, type: 'prefill', data: done + i, ts: Date.now() });
    });
    done += count;
  }
  desk.journal!.close();
  return { ms: performance.now() - started };
}
