import { describe, expect, it } from 'vitest';
import { searchRows, sortRows } from './rows';

const rows = [
  { id: 'a', symbol: 'MSFT', qty: 10 },
  { id: 'b', symbol: 'AAPL', qty: 2 },
  { id: 'c', symbol: 'AAPL', qty: 30 },
];
const value = (r: (typeof rows)[number], key: 'symbol' | 'qty') => r[key];

describe('sortRows', () => {
  it('sorts numbers as numbers and text by locale, keeping equal rows in their order', () => {
    expect(sortRows(rows, { key: 'qty', dir: 'asc' }, value).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortRows(rows, { key: 'qty', dir: 'desc' }, value).map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, { key: 'symbol', dir: 'asc' }, value).map((r) => r.id)).toEqual(['b', 'c', 'a']);
    expect(sortRows(rows, null, value)).toBe(rows);
  });

});

describe('searchRows', () => {
  it('keeps rows containing every word, ignoring case', () => {
    const text = (r: (typeof rows)[number]) => `${r.id} ${r.symbol} ${r.qty}`;
    expect(searchRows(rows, 'aapl', text).map((r) => r.id)).toEqual(['b', 'c']);
    expect(searchRows(rows, 'aapl 30', text).map((r) => r.id)).toEqual(['c']);
    expect(searchRows(rows, '  ', text)).toBe(rows);
  });
});
