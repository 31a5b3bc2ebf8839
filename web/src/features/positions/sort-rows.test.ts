import { describe, expect, it } from 'vitest';
import { nextSort, sortRows } from './sort-rows';

const rows = [
  { id: '1', symbol: 'MSFT', qty: 5 },
  { id: '2', symbol: 'AAPL', qty: 20 },
  { id: '3', symbol: 'NVDA', qty: 5 },
];

describe('sortRows', () => {
  it('sorts numbers numerically and text alphabetically, ties by key', () => {
    expect(sortRows(rows, 'qty', 'asc', (r) => r.id).map((r) => r.id)).toEqual(['1', '3', '2']);
    expect(sortRows(rows, 'qty', 'desc', (r) => r.id).map((r) => r.id)).toEqual(['2', '1', '3']);
    expect(sortRows(rows, 'symbol', 'asc', (r) => r.id).map((r) => r.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA']);
  });

  it('does not change the input', () => {
    sortRows(rows, 'symbol', 'asc', (r) => r.id);
    expect(rows[0]!.id).toBe('1');
  });

  it('flips the direction when the same column is chosen again', () => {
    expect(nextSort({ column: 'qty', direction: 'asc' }, 'qty')).toEqual({ column: 'qty', direction: 'desc' });
    expect(nextSort({ column: 'qty', direction: 'desc' }, 'symbol')).toEqual({ column: 'symbol', direction: 'asc' });
  });
});
