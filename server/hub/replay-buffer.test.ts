import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer';

const all = () => true;

describe('ReplayBuffer', () => {
  it('returns exactly the events after an id, in order', () => {
    const buffer = new ReplayBuffer<number>(100);
    buffer.push(10, [1]);
    buffer.push(12, [2, 3]);
    buffer.push(15, [4]);
    expect(buffer.after(10, all)).toEqual([2, 3, 4]);
    expect(buffer.after(11, all)).toEqual([2, 3, 4]);
    expect(buffer.after(15, all)).toEqual([]);
  });

  it('answers null (resync) once events after the id were evicted', () => {
    const buffer = new ReplayBuffer<number>(3);
    for (let id = 1; id <= 5; id++) buffer.push(id, [id]);
    expect(buffer.size).toBe(3);
    expect(buffer.floor).toBe(2);
    expect(buffer.after(1, all)).toBeNull();
    expect(buffer.after(2, all)).toEqual([3, 4, 5]);
  });

  it('gives the last N matching events, oldest first', () => {
    const buffer = new ReplayBuffer<number>(100);
    for (let id = 1; id <= 10; id++) buffer.push(id, [id]);
    expect(buffer.last(3, all)).toEqual([8, 9, 10]);
    expect(buffer.last(2, (n) => n % 2 === 1)).toEqual([7, 9]);
  });

  it('stays correct across compaction of a long history', () => {
    const buffer = new ReplayBuffer<number>(10);
    for (let id = 1; id <= 5000; id++) buffer.push(id, [id]);
    expect(buffer.after(4990, all)).toEqual([4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000]);
    expect(buffer.after(4989, all)).toBeNull();
  });
});
