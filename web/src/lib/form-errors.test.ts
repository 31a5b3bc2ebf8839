import { describe, expect, it } from 'vitest';
import { failureMessage, fieldForIssue, plainMessage, serverErrors, UNANSWERED_MESSAGE } from './form-errors';
import type { FieldSpec } from './form-values';

const metric: FieldSpec[] = [
  { name: 'name', label: 'Name', kind: 'text', path: 'samples.0.name' },
  { name: 'value', label: 'Value', kind: 'number', path: 'samples.0.value' },
  { name: 'labels', label: 'Labels', kind: 'json', path: 'samples.0.labels' },
];

describe('plainMessage', () => {
  it('says a missing value is required and a wrong one what is expected', () => {
    expect(plainMessage({ code: 'invalid_type', expected: 'string', input: undefined }, 'Symbol')).toBe('Symbol is required');
    expect(plainMessage({ code: 'invalid_type', expected: 'number', input: 'ten' }, 'Qty')).toBe('Enter a number');
    expect(plainMessage({ code: 'too_small', origin: 'number', minimum: 0, inclusive: false, input: -1 }, 'Qty')).toBe('Must be more than 0');
    expect(plainMessage({ code: 'too_big', origin: 'string', maximum: 64, input: 'x' }, 'Kind')).toBe('Use at most 64 characters');
    expect(plainMessage({ code: 'invalid_value', values: ['buy', 'sell'], input: 'x' }, 'Side')).toBe('Choose one of: buy, sell');
  });
});

describe('fieldForIssue', () => {
  it('finds the deepest field a path lies in, and none for a path no field writes', () => {
    expect(fieldForIssue(metric, ['samples', 0, 'value'])?.name).toBe('value');
    expect(fieldForIssue(metric, ['samples', 0, 'labels', 'desk'])?.name).toBe('labels');
    expect(fieldForIssue(metric, ['samples'])).toBeUndefined();
  });
});

describe('serverErrors', () => {
  it('puts each server issue under the field at its path, in plain words', () => {
    const error = { data: { zodIssues: [{ path: ['samples', 0, 'value'], code: 'invalid_type', expected: 'number', message: 'Invalid input: expected number, received string' }] } };
    expect(serverErrors(metric, error)).toEqual({ fields: { 'samples.0.value': 'Enter a number' }, form: [] });
    const missing = { data: { zodIssues: [{ path: ['samples', 0, 'name'], code: 'invalid_type', expected: 'string', message: 'Invalid input: expected string, received undefined' }] } };
    expect(serverErrors(metric, missing).fields).toEqual({ 'samples.0.name': 'Name is required' });
  });

  it("keeps a schema's own message and gives the form what no field writes", () => {
    const error = {
      data: {
        zodIssues: [
          { path: ['samples', 0, 'name'], code: 'invalid_format', message: 'metric names look like prometheus names' },
          { path: ['samples'], code: 'too_big', origin: 'array', maximum: 1000, inclusive: true, message: 'Too big: expected array to have <=1000 items' },
          { path: [], code: 'custom', message: 'give exactly one of price or nudgePct' },
        ],
      },
    };
    expect(serverErrors(metric, error)).toEqual({
      fields: { 'samples.0.name': 'metric names look like prometheus names' },
      form: ['samples: Give at most 1000', 'give exactly one of price or nudgePct'],
    });
  });

  it('gives any other refusal to the form as the server worded it', () => {
    expect(serverErrors(metric, Object.assign(new Error('AAPL has no price yet'), { data: { code: 'BAD_REQUEST', zodIssues: null } }))).toEqual({ fields: {}, form: ['AAPL has no price yet'] });
  });
});

describe('failureMessage', () => {
  it('says the desk is offline or did not answer instead of "Failed to fetch", and keeps the server\'s own messages', () => {
    expect(failureMessage(Object.assign(new Error('Failed to fetch'), { cause: new TypeError('Failed to fetch') }))).toBe(UNANSWERED_MESSAGE);
    expect(UNANSWERED_MESSAGE).toMatch(/^The desk is offline/);
    expect(failureMessage(Object.assign(new Error('no price for XYZ yet'), { data: { code: 'BAD_REQUEST' } }))).toBe('no price for XYZ yet');
  });
});
