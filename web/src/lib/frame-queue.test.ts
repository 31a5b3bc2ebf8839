import { describe, expect, it } from 'vitest';
import { createFrameQueue, type FrameScheduler } from './frame-queue';

function fakeFrames() {
  const callbacks = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = {
    request: (cb) => {
      callbacks.set(next, cb);
      return next++;
    },
    cancel: (handle) => void callbacks.delete(handle),
  };
  return {
    scheduler,
    pending: () => callbacks.size,
    frame() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const cb of due) cb();
    },
  };
}

describe('createFrameQueue', () => {
  it('hands a burst of 1,000 messages to the stream once, in the next frame', () => {
    const frames = fakeFrames();
    const queue = createFrameQueue(frames.scheduler);
    const flushed: number[][] = [];
    for (let i = 0; i < 1000; i++) queue.push('prices', i, (items) => flushed.push(items));
    expect(flushed).toHaveLength(0);
    expect(frames.pending()).toBe(1);
    frames.frame();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toHaveLength(1000);
    expect(flushed[0]![999]).toBe(999);
    expect(queue.frames).toBe(1);
  });

  it('keeps streams apart and schedules nothing while idle', () => {
    const frames = fakeFrames();
    const queue = createFrameQueue(frames.scheduler);
    const seen: Record<string, string[][]> = { a: [], b: [] };
    queue.push('a', 'a1', (items) => seen.a!.push(items));
    queue.push('b', 'b1', (items) => seen.b!.push(items));
    queue.push('a', 'a2', (items) => seen.a!.push(items));
    frames.frame();
    expect(seen).toEqual({ a: [['a1', 'a2']], b: [['b1']] });
    expect(frames.pending()).toBe(0);
    queue.push('a', 'a3', (items) => seen.a!.push(items));
    frames.frame();
    expect(seen.a).toEqual([['a1', 'a2'], ['a3']]);
  });

  it('flushes on demand and drops everything on dispose', () => {
    const frames = fakeFrames();
    const queue = createFrameQueue(frames.scheduler);
    const got: number[][] = [];
    queue.push('x', 1, (items) => got.push(items));
    queue.flushNow();
    expect(got).toEqual([[1]]);
    expect(frames.pending()).toBe(0);
    queue.push('x', 2, (items) => got.push(items));
    queue.dispose();
    frames.frame();
    expect(got).toEqual([[1]]);
  });

  it('accepts messages pushed while a frame is being flushed, for the next frame', () => {
    const frames = fakeFrames();
    const queue = createFrameQueue(frames.scheduler);
    const got: number[][] = [];
    queue.push('x', 1, (items) => {
      got.push(items);
      queue.push('x', 2, (more) => got.push(more));
    });
    frames.frame();
    expect(got).toEqual([[1]]);
    frames.frame();
    expect(got).toEqual([[1], [2]]);
  });
});
