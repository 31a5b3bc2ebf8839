import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recordMetricsInput } from './schema/feeds.js';
import { inputIssues, MAX_INPUT_ISSUES } from './input-issues.js';

describe('inputIssues', () => {
  it('keeps the full path of a nested issue and the details that explain it', () => {
    const result = recordMetricsInput.safeParse({ samples: [{ name: 'orders', value: 'lots' }] });
    expect(result.success).toBe(false);
    expect(inputIssues(result.error!.issues)).toEqual([
      { path: ['samples', 0, 'value'], code: 'invalid_type', expected: 'number', message: expect.stringMatching(/expected number/) },
    ]);
  });

  it('sends bigint limits as numbers, so the error can be written as JSON', () => {
    const result = z.object({ n: z.bigint().min(5n) }).safeParse({ n: 1n });
    const issues = inputIssues(result.error!.issues);
    expect(issues[0]).toMatchObject({ path: ['n'], code: 'too_small', minimum: 5, inclusive: true });
    expect(() => JSON.stringify(issues)).not.toThrow();
  });

  it(`sends at most ${MAX_INPUT_ISSUES} issues`, () => {
    const result = recordMetricsInput.safeParse({ samples: Array.from({ length: 300 }, () => ({ name: 1, value: 'x' })) });
    expect(result.error!.issues.length).toBeGreaterThan(MAX_INPUT_ISSUES);
    expect(inputIssues(result.error!.issues)).toHaveLength(MAX_INPUT_ISSUES);
  });
});
