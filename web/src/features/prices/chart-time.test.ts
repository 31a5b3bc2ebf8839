import { describe, expect, it } from 'vitest';
import { axisLabel, crosshairLabel } from './chart-time';

describe('time labels of the chart', () => {
  const at = new Date(2026, 11, 1, 9, 5, 7).getTime() / 1000;

  it('say local time at every tick mark kind', () => {
    expect([0, 1, 2, 3, 4].map((kind) => axisLabel(at, kind as 0 | 1 | 2 | 3 | 4))).toEqual(['2026', 'Dec', '1 Dec', '09:05', '09:05:07']);
  });

  it('give the crosshair the day and the time to the second', () => {
    expect(crosshairLabel(at)).toBe('1 Dec 09:05:07');
  });
});
