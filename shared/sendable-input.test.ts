import { runInNewContext } from 'node:vm';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { deskInputBudgets, inputRefusal, inspectInput, MAX_INPUT_DEPTH, unsendableInput } from './sendable-input';

const nested = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
};

/** Whether `JSON.stringify` throws for `value` (what the check must agree with below its depth bound). */
const stringifyThrows = (value: unknown) => {
  try {
    JSON.stringify(value);
    return false;
  } catch {
    return true;
  }
};

describe('unsendableInput', () => {
  it('passes what JSON can carry, as JSON.stringify would send it', () => {
    for (const value of [undefined, null, 0, 'x', [], {}, { a: [1, { b: null }] }, new Date(0), { f: () => 1, u: undefined }, new Map([[1, 2]])]) {
      expect(unsendableInput(value), String(value)).toBeNull();
    }
    // The same object twice is not a cycle.
    const shared = { x: 1 };
    expect(unsendableInput({ a: shared, b: [shared, shared] })).toBeNull();
    expect(unsendableInput(nested(MAX_INPUT_DEPTH))).toBeNull();
  });

  it('names a cycle, a BigInt, too much nesting and a throwing toJSON, with where they are', () => {
    const cyclic: Record<string, unknown> = { name: 'x', rows: [{}, {}] };
    (cyclic.rows as object[])[1] = { back: cyclic };
    expect(unsendableInput({ data: cyclic })).toBe('it refers to itself at data.rows[1].back (a cycle has no JSON form)');
    expect(unsendableInput({ data: { n: 10n } })).toBe('a BigInt at data.n has no JSON form (send it as a string or a number)');
    expect(unsendableInput(10n)).toMatch(/BigInt at the input itself/);
    expect(unsendableInput(nested(MAX_INPUT_DEPTH + 1))).toMatch(/^it is nested deeper than 1000 levels at \[0\]\[0\]\[0\]\[0\]…\[0\]\[0\]\[0\]$/);
    expect(unsendableInput({ a: { b: { c: {} } } }, 3)).toBe('it is nested deeper than 3 levels at a.b.c');
    const bad = { toJSON: () => { throw new Error('no'); } };
    expect(unsendableInput({ when: bad })).toBe('its toJSON threw at when (no)');
  });

  it('reads an array as JSON.stringify does: holes count, other keys do not', () => {
    const sparse = new Array(100_000);
    expect(inspectInput(sparse).bytesAtMost).toBeGreaterThanOrEqual(JSON.stringify(sparse).length);
    const tagged = Object.assign([1, 2], { extra: 10n });
    expect(JSON.stringify(tagged)).toBe('[1,2]');
    expect(unsendableInput(tagged)).toBeNull();
  });

  it('reads boxed primitives as the values they box', () => {
    for (const boxed of [new Boolean(false), new Number(-1.2345678901234567e-308), new String('é"\u0000')]) {
      expect(unsendableInput(boxed)).toBeNull();
      expect(inspectInput({ boxed }).bytesAtMost).toBeGreaterThanOrEqual(new TextEncoder().encode(JSON.stringify({ boxed })).length);
    }
    expect(unsendableInput({ n: Object(10n) })).toMatch(/^a BigInt at n/);
  });

  it('bounds the longest numbers JSON writes, and boxes from another realm', () => {
    const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
    for (const v of [-1.2345678901234567e-6, Array(2550).fill(-1.2345678901234567e-6), runInNewContext('new Number(-1.2345678901234567e-6)'), [runInNewContext('new String("é")')]]) {
      expect(inspectInput(v).bytesAtMost).toBeGreaterThanOrEqual(bytes(v));
    }
    expect(unsendableInput({ n: runInNewContext('Object(10n)') })).toMatch(/^a BigInt at n/);
    // Only tagged or shaped as a box: an object like any other, as JSON.stringify writes it.
    expect(unsendableInput(Object.setPrototypeOf({}, Number.prototype))).toBeNull();
    expect(unsendableInput({ [Symbol.toStringTag]: 'Number', a: 1 })).toBeNull();
  });

  it('refuses, rather than throws, when reading the input throws', () => {
    const getter = Object.defineProperty({}, 'price', { enumerable: true, get: () => { throw new Error('not yet'); } });
    expect(unsendableInput({ row: getter })).toBe('reading it threw at row.price (not yet)');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(unsendableInput({ p: proxy })).toMatch(/^reading it threw at p \(/);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(unsendableInput(nested(100_000))).toMatch(/nested deeper than/);
  });

  // What must always hold: below the depth bound, the check fails exactly when JSON.stringify throws.
  const poisoned = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.jsonValue({ maxDepth: 3 }),
      fc.bigInt(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
  test.prop([poisoned, fc.boolean()], { seed: 1701, numRuns: 300 })('agrees with JSON.stringify on what can be sent', (value, makeCycle) => {
    if (makeCycle && value !== null && typeof value === 'object') {
      const holder: Record<string, unknown> = {};
      holder.self = holder;
      holder.inner = value;
      expect(unsendableInput(holder)).toMatch(/refers to itself at self/);
      return;
    }
    expect(unsendableInput(value) !== null).toBe(stringifyThrows(value));
  });

  it('finds a BigInt through its toJSON, as JSON.stringify does', () => {
    const proto = BigInt.prototype as unknown as { toJSON?: () => string };
    proto.toJSON = function (this: bigint) {
      return this.toString();
    };
    try {
      expect(unsendableInput({ n: 10n })).toBeNull();
    } finally {
      delete proto.toJSON;
    }
  });

  // What must always hold: the walk's bound is never below the JSON's real size, or an input over a
  // budget could be let through unmeasured.
  test.prop([fc.jsonValue({ maxDepth: 4 }), fc.oneof(fc.string(), fc.string({ unit: 'binary' }))], { seed: 1702, numRuns: 300 })(
    'bounds the size of the JSON from above',
    (value, text) => {
      for (const v of [value, { text, value }, [text, new Date(0)]]) {
        const bytes = new TextEncoder().encode(JSON.stringify(v)).length;
        expect(inspectInput(v).bytesAtMost).toBeGreaterThanOrEqual(bytes);
      }
    },
  );
});

describe('inputRefusal', () => {
  const budgets = deskInputBudgets('ws');
  it('lets through what fits each carrier, and refuses what does not as PAYLOAD_TOO_LARGE with its size', () => {
    expect(inputRefusal({ symbol: 'AAPL' }, budgets.subscription)).toBeNull();
    // Over the bound the walk adds up, under the budget once measured: escapes are rare.
    expect(inputRefusal({ note: 'a'.repeat(20_000) }, budgets.subscription)).toBeNull();
    expect(inputRefusal({ note: 'a'.repeat(70_000) }, budgets.subscription)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      reason: 'it is 70011 bytes as JSON, over the 65024 a WebSocket frame (DESK_MAX_FRAME_BYTES) with its envelope carries',
    });
    // A URL counts its input percent-encoded: 'é' is 6 characters there.
    expect(inputRefusal({ note: 'é'.repeat(3_000) }, budgets.query)?.reason).toBe('it is 18025 characters percent-encoded, over the 6000 the URL it travels in carries');
    expect(inputRefusal({ note: 'e'.repeat(5_900) }, budgets.query)).toBeNull();
    expect(deskInputBudgets('url').subscription!.bytes).toBe(6000);
    expect(deskInputBudgets('body', { maxBodyBytes: 10_000 }).subscription!.bytes).toBe(8976);
    expect(inputRefusal({ n: 1n }, budgets.mutation)?.code).toBe('BAD_REQUEST');
    expect(inputRefusal(undefined, budgets.query)).toBeNull();
  });
});
