import { describe, expect, it } from 'vitest';
import { recordMetricsInput } from '../../../shared/schema/feeds';
import { executeTradeInput, setPriceInput } from '../../../shared/schema/market';
import { failureMessage, fieldForIssue, validateInput } from './form-errors';
import type { FieldSpec } from './form-values';

const trade: FieldSpec[] = [
  { name: 'symbol', label: 'Symbol', kind: 'text' },
  { name: 'side', label: 'Side', kind: 'select', options: ['buy', 'sell'] },
  { name: 'qty', label: 'Quantity', kind: 'number' },
];
const metric: FieldSpec[] = [
  { name: 'name', label: 'Name', kind: 'text', path: 'samples.0.name' },
  { name: 'value', label: 'Value', kind: 'number', path: 'samples.0.value' },
  { name: 'labels', label: 'Labels', kind: 'json', path: 'samples.0.labels' },
];

describe('validateInput with the shared schemas', () => {
  it('says an empty required field is required, in plain words', () => {
    expect(validateInput(executeTradeInput, trade, { side: 'buy' })).toEqual({
      fields: { symbol: 'Symbol is required', qty: 'Quantity is required' },
      form: [],
    });
  });

  it('turns zod wording into plain words and keeps the messages the schema itself gives', () => {
    const result = validateInput(executeTradeInput, trade, { symbol: 'not a symbol!', side: 'short', qty: -5 });
    expect(result?.fields).toEqual({
      symbol: 'symbol must be 1-12 letters, digits, dots or dashes',
      side: 'Choose one of: buy, sell',
      qty: 'Must be more than 0',
    });
    expect(validateInput(executeTradeInput, trade, { symbol: 'AAPL', side: 'buy', qty: 'ten' })?.fields).toEqual({ qty: 'Enter a number' });
    for (const message of Object.values(validateInput(executeTradeInput, trade, {})!.fields)) expect(message).not.toMatch(/Invalid input|expected|received/);
  });

  it('puts an error of a nested path under the field that writes it, not the first one under the same key', () => {
    expect(validateInput(recordMetricsInput, metric, { samples: [{ name: 'orders', value: 'abc' }] })).toEqual({ fields: { value: 'Enter a number' }, form: [] });
    expect(validateInput(recordMetricsInput, metric, { samples: [{ name: '1bad', value: 2 }] })?.fields).toEqual({ name: 'metric names look like prometheus names' });
    expect(fieldForIssue(metric, ['samples', 0, 'labels', 'desk'])?.name).toBe('labels');
    expect(fieldForIssue(metric, ['samples'])).toBeUndefined();
  });

  it('shows an issue no field writes for the whole form, and passes a valid input', () => {
    expect(validateInput(recordMetricsInput, metric, {})).toEqual({ fields: {}, form: ['samples is required'] });
    expect(validateInput(setPriceInput, [{ name: 'symbol', label: 'Symbol', kind: 'text' }], { symbol: 'AAPL' })).toEqual({ fields: {}, form: ['give exactly one of price or nudgePct'] });
    expect(validateInput(executeTradeInput, trade, { symbol: 'AAPL', side: 'buy', qty: 3 })).toBeNull();
  });
});

describe('failureMessage', () => {
  it('says the desk did not answer instead of "Failed to fetch", and keeps the server\'s own messages', () => {
    expect(failureMessage(Object.assign(new Error('Failed to fetch'), { cause: new TypeError('Failed to fetch') }))).toMatch(/^The desk did not answer \(offline\?\)/);
    expect(failureMessage(Object.assign(new Error('no price for XYZ yet'), { data: { code: 'BAD_REQUEST' } }))).toBe('no price for XYZ yet');
  });
});
