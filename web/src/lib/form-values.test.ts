import { describe, expect, it } from 'vitest';
import { fieldForError, serverErrors, toInput, type FieldSpec } from './form-values';

const fields: FieldSpec[] = [
  { name: 'symbol', label: 'Symbol', kind: 'text' },
  { name: 'qty', label: 'Qty', kind: 'number' },
  { name: 'price', label: 'Price', kind: 'number' },
  { name: 'symbols', label: 'Symbols', kind: 'list' },
  { name: 'running', label: 'Running', kind: 'checkbox' },
  { name: 'taskId', label: 'Task', kind: 'text', nullWhenEmpty: true },
];

describe('toInput', () => {
  it('converts numbers, lists and checkboxes and leaves empty fields out', () => {
    expect(toInput(fields, { symbol: ' aapl ', qty: '10', price: '', symbols: 'AAPL, MSFT,', running: 'true', taskId: '' })).toEqual({
      ok: true,
      input: { symbol: 'aapl', qty: 10, symbols: ['AAPL', 'MSFT'], running: true, taskId: null },
    });
  });

  it('sends text that is not a number as typed, so the server can say what is wrong', () => {
    expect(toInput(fields, { qty: 'ten' })).toMatchObject({ ok: true, input: { qty: 'ten' } });
  });

  it('builds nested inputs from paths and reports JSON that does not parse', () => {
    const metric: FieldSpec[] = [
      { name: 'name', label: 'Name', kind: 'text', path: 'samples.0.name' },
      { name: 'value', label: 'Value', kind: 'number', path: 'samples.0.value' },
      { name: 'labels', label: 'Labels', kind: 'json', path: 'samples.0.labels' },
    ];
    expect(toInput(metric, { name: 'x', value: '2', labels: '{"a":"b"}' })).toEqual({ ok: true, input: { samples: [{ name: 'x', value: 2, labels: { a: 'b' } }] } });
    expect(toInput(metric, { name: 'x', value: '2', labels: '{a' })).toEqual({ ok: false, fieldErrors: { labels: 'not valid JSON' } });
  });
});

describe('serverErrors', () => {
  it('reads flattened zod errors by field', () => {
    const error = Object.assign(new Error('bad'), { data: { zodError: { formErrors: ['whole form'], fieldErrors: { qty: ['Too small', 'Not an integer'] } } } });
    expect(serverErrors(error)).toEqual({ form: ['whole form'], fields: { qty: 'Too small; Not an integer' } });
  });

  it('falls back to the message for other errors', () => {
    expect(serverErrors(new Error('no price for XYZ'))).toEqual({ form: ['no price for XYZ'], fields: {} });
    expect(serverErrors(null)).toBeNull();
  });

  it('maps a top-level error key to the field that writes it', () => {
    expect(fieldForError([{ name: 'value', label: 'V', kind: 'number', path: 'samples.0.value' }], 'samples')).toBe('value');
    expect(fieldForError(fields, 'nope')).toBeUndefined();
    // several fields under one key: the message cannot be placed, so it is not put under the first
    const metric: FieldSpec[] = [
      { name: 'name', label: 'N', kind: 'text', path: 'samples.0.name' },
      { name: 'value', label: 'V', kind: 'number', path: 'samples.0.value' },
    ];
    expect(fieldForError(metric, 'samples')).toBeUndefined();
  });
});
