import type { ResolverOptions } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { broadcastCustomInput, recordMetricsInput } from '../../../shared/schema/feeds';
import { executeTradeInput, setPriceInput } from '../../../shared/schema/market';
import { fieldsResolver, formMessages } from './form-resolver';
import type { FieldSpec, FormText } from './form-values';

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
const options: ResolverOptions<FormText> = { fields: {}, shouldUseNativeValidation: false };

/** What the form would show for `values`, checked with `schema` through react-hook-form's zod resolver. */
async function shown(fields: FieldSpec[], schema: Parameters<typeof fieldsResolver>[1], values: FormText) {
  const result = await fieldsResolver(fields, schema)(values, undefined, options);
  return { ...formMessages(fields, result.errors), values: result.values };
}

describe('fieldsResolver with the shared schemas', () => {
  it('says an empty required field is required, in plain words', async () => {
    expect(await shown(trade, executeTradeInput, { symbol: '', side: 'buy', qty: '' })).toEqual({
      fields: { symbol: 'Symbol is required', qty: 'Quantity is required' },
      form: [],
      values: {},
    });
  });

  it("turns zod's wording into plain words and keeps the messages the schema itself gives", async () => {
    const bad = await shown(trade, executeTradeInput, { symbol: 'not a symbol!', side: 'short', qty: '-5' });
    expect(bad.fields).toEqual({ symbol: 'symbol must be 1-12 letters, digits, dots or dashes', side: 'Choose one of: buy, sell', qty: 'Must be more than 0' });
    expect((await shown(trade, executeTradeInput, { symbol: 'AAPL', side: 'buy', qty: 'ten' })).fields).toEqual({ qty: 'Enter a number' });
    for (const message of Object.values((await shown(trade, executeTradeInput, {})).fields)) expect(message).not.toMatch(/Invalid input|expected|received/);
  });

  it('puts an error of a nested path under the field that writes it, not the first one under the same key', async () => {
    expect((await shown(metric, recordMetricsInput, { samples: [{ name: 'orders', value: 'abc', labels: '' }] })).fields).toEqual({ value: 'Enter a number' });
    expect((await shown(metric, recordMetricsInput, { samples: [{ name: '1bad', value: '2', labels: '' }] })).fields).toEqual({ name: 'metric names look like prometheus names' });
    expect((await shown(metric, recordMetricsInput, { samples: [{ name: 'x', value: '2', labels: '{"desk":5}' }] })).fields).toEqual({ labels: 'Enter text' });
  });

  it('says JSON that does not parse is not valid JSON, beside the other fields\' errors', async () => {
    const custom: FieldSpec[] = [
      { name: 'type', label: 'Type', kind: 'text' },
      { name: 'data', label: 'Data', kind: 'json' },
    ];
    expect((await shown(custom, broadcastCustomInput, { type: '', data: '{oops' })).fields).toEqual({ type: 'Type is required', data: 'Not valid JSON' });
    expect((await shown(custom, broadcastCustomInput, { type: 'note', data: '' })).fields).toEqual({ data: 'A value is required' });
  });

  it('shows an issue no field writes for the whole form, and passes a valid input through as typed', async () => {
    expect(await shown([{ name: 'symbol', label: 'Symbol', kind: 'text' }], setPriceInput, { symbol: 'AAPL' })).toMatchObject({ fields: {}, form: ['give exactly one of price or nudgePct'] });
    expect(await shown(trade, executeTradeInput, { symbol: 'aapl', side: 'buy', qty: '3' })).toEqual({ fields: {}, form: [], values: { symbol: 'aapl', side: 'buy', qty: 3 } });
  });
});
