import { describe, expect, it } from 'vitest';
import { direction, formatAgo, formatClock, formatCompact, formatMoney, formatPct, formatPrice, formatSigned, formatValue, signClass } from './format';

describe('formatting', () => {
  it('formats a measured value as given, to at most 3 decimals', () => {
    expect(formatValue(1234.5)).toBe('1,234.5');
    expect(formatValue(0.12345)).toBe('0.123');
    expect(formatValue(-7)).toBe('-7');
    expect(formatValue(Number.NaN)).toBe('—');
  });

  it('formats money, signed amounts and percentages', () => {
    expect(formatMoney(1234567.891)).toBe('1,234,567.89');
    expect(formatMoney(undefined)).toBe('—');
    expect(formatSigned(12.5)).toBe('+12.50');
    expect(formatSigned(-0.004)).toBe('0.00');
    expect(formatSigned(-3)).toBe('-3.00');
    expect(formatPct(1.234)).toBe('+1.23 %');
    expect(formatPct(-0.5)).toBe('-0.50 %');
    expect(formatPct(Number.NaN)).toBe('—');
  });

  it('gives small prices more digits', () => {
    expect(formatPrice(64012.5)).toBe('64,012.50');
    expect(formatPrice(0.12345)).toBe('0.1235');
  });

  it('formats counts, clocks and ages', () => {
    expect(formatCompact(1234)).toBe('1.2K');
    expect(formatClock(new Date(2026, 0, 1, 9, 5, 7).getTime())).toBe('09:05:07');
    expect(formatAgo(0, 65_000)).toBe('1 min ago');
    expect(formatAgo(0, 3_000)).toBe('3 s ago');
  });

  it('tells the direction of a move and the sign of an amount', () => {
    expect(direction(undefined, 5)).toBe('same');
    expect(direction(4, 5)).toBe('up');
    expect(direction(6, 5)).toBe('down');
    expect(signClass(0)).toBe('flat');
    expect(signClass(-1)).toBe('neg');
    expect(signClass(2)).toBe('pos');
  });
});
