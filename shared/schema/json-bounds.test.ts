import { describe, expect, it } from 'vitest';
import { jsonValueSchema } from './feeds';
import { JSON_MAX_DEPTH, JSON_MAX_SIZE, jsonBoundsError } from './json-bounds';

function nested(depth: number, leaf: unknown = 1, wrap: (v: unknown) => unknown = (v) => [v]): unknown {
  let value = leaf;
  for (let i = 1; i < depth; i++) value = wrap(value);
  return value;
}

describe('jsonBoundsError', () => {
  it('accepts values up to the depth bound, as arrays or objects', () => {
    expect(jsonBoundsError(nested(JSON_MAX_DEPTH, []))).toBeNull();
    expect(jsonBoundsError(nested(JSON_MAX_DEPTH, {}, (v) => ({ k: v })))).toBeNull();
    expect(jsonBoundsError('a scalar')).toBeNull();
  });

  it('refuses one level more', () => {
    expect(jsonBoundsError(nested(JSON_MAX_DEPTH + 1, []))).toMatch(/deeper than 32/);
    expect(jsonBoundsError(nested(JSON_MAX_DEPTH + 1, {}, (v) => ({ k: v })))).toMatch(/deeper than 32/);
  });

  it('refuses a value larger than the size bound, however it is spread', () => {
    expect(jsonBoundsError('x'.repeat(JSON_MAX_SIZE))).toMatch(/larger than/);
    expect(jsonBoundsError(Array.from({ length: 20 }, () => 'x'.repeat(5000)))).toMatch(/larger than/);
    expect(jsonBoundsError(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 0])))).toMatch(/larger than/);
    expect(jsonBoundsError(Array.from({ length: 30_000 }, () => null))).toMatch(/larger than/);
  });

  it('stops on a cyclic value instead of looping', () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(jsonBoundsError(cycle)).toMatch(/deeper/);
  });
});

describe('jsonValueSchema', () => {
  it('refuses 20,000 levels with a validation issue instead of overflowing the stack', () => {
    const result = jsonValueSchema.safeParse(nested(20_000));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/deeper than 32/);
  });

  it('still parses ordinary JSON and refuses what is not JSON', () => {
    expect(jsonValueSchema.parse({ a: [1, 'two', null, true, { b: 2.5 }] })).toEqual({ a: [1, 'two', null, true, { b: 2.5 }] });
    expect(jsonValueSchema.safeParse({ a: undefined }).success).toBe(false);
    expect(jsonValueSchema.safeParse(Number.NaN).success).toBe(false);
  });
});
