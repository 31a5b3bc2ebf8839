import { describe, expect, it } from 'vitest';
import { initialText, toInput, type FieldSpec } from './form-values';

const fields: FieldSpec[] = [
  { name: 'symbol', label: 'Symbol', kind: 'text' },
  { name: 'qty', label: 'Qty', kind: 'number' },
  { name: 'price', label: 'Price', kind: 'number' },
  { name: 'symbols', label: 'Symbols', kind: 'list' },
  { name: 'running', label: 'Running', kind: 'checkbox' },
  { name: 'taskId', label: 'Task', kind: 'text', nullWhenEmpty: true },
];
const metric: FieldSpec[] = [
  { name: 'name', label: 'Name', kind: 'text', path: 'samples.0.name', initial: 'orders' },
  { name: 'value', label: 'Value', kind: 'number', path: 'samples.0.value' },
  { name: 'labels', label: 'Labels', kind: 'json', path: 'samples.0.labels' },
];

describe('toInput', () => {
  it('converts numbers, lists and checkboxes and leaves empty fields out', () => {
    expect(toInput(fields, { symbol: ' aapl ', qty: '10', price: '', symbols: 'AAPL, MSFT,', running: true, taskId: '' })).toEqual({
      input: { symbol: 'aapl', qty: 10, symbols: ['AAPL', 'MSFT'], running: true, taskId: null },
      unreadable: [],
    });
  });

  it('sends text that is not a number as typed, so the schema can say what is wrong', () => {
    expect(toInput(fields, { qty: 'ten' }).input).toMatchObject({ qty: 'ten' });
  });

  it('reads nested text by path and lists JSON that does not parse as unreadable, leaving it out', () => {
    expect(toInput(metric, { samples: [{ name: 'x', value: '2', labels: '{"a":"b"}' }] })).toEqual({ input: { samples: [{ name: 'x', value: 2, labels: { a: 'b' } }] }, unreadable: [] });
    expect(toInput(metric, { samples: [{ name: 'x', value: '2', labels: '{a' }] })).toEqual({ input: { samples: [{ name: 'x', value: 2 }] }, unreadable: [metric[2]] });
  });
});

describe('initialText', () => {
  it("nests each field's starting text by its path and starts a select on its first option", () => {
    expect(initialText(metric)).toEqual({ samples: [{ name: 'orders', value: '', labels: '' }] });
    expect(initialText([{ name: 'side', label: 'Side', kind: 'select', options: ['buy', 'sell'] }, ...fields.slice(4, 5)])).toEqual({ side: 'buy', running: false });
  });
});
