import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../shared/schema/feeds';
import { evaluateRule } from './alert-rules';

const rule = (armed: boolean): AlertRule => ({
  id: 'r', symbol: 'AAPL', condition: 'above', threshold: 100, severity: 'warning', message: null, armed, createdAt: 0,
});

describe('evaluateRule', () => {
  it('fires once when the price crosses and disarms', () => {
    expect(evaluateRule(rule(true), 101)).toEqual({ fire: true, armed: false });
  });
  it('does not fire again while the price stays beyond the threshold', () => {
    expect(evaluateRule(rule(false), 105)).toEqual({ fire: false, armed: false });
  });
  it('re-arms when the price is back on the other side', () => {
    expect(evaluateRule(rule(false), 99)).toEqual({ fire: false, armed: true });
  });
  it('does nothing below the threshold while armed', () => {
    expect(evaluateRule(rule(true), 99)).toEqual({ fire: false, armed: true });
  });
});
