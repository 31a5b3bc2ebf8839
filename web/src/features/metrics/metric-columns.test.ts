import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../../../shared/index';
import { searchRows, sortRows } from '../../lib/history/rows';
import { METRIC_BLOTTER } from './metric-columns';
import { metricSamples } from './metric-csv';
import { metricSeries } from './metric-series';

let n = 0;
const sample = (name: string, value: number, labels: Record<string, string> = {}): MetricSample => ({ id: `m${++n}`, name, value, labels, ts: 1_700_000_000_000 + n });

const samples = [sample('queue', 3, { desk: 'eq' }), sample('fills', 9), sample('queue', 1, { desk: 'fx' }), sample('fills', 2), sample('fills', 4)];
const series = metricSeries(samples, 60);
const names = (rows: readonly { name: string }[]) => rows.map((s) => s.name);

describe('the metrics blotter', () => {
  it('finds a metric by a label any of its samples carried, not only the latest', () => {
    expect(names(searchRows(series, 'desk=eq', METRIC_BLOTTER.text))).toEqual(['queue']);
    expect(names(searchRows(series, 'FILLS', METRIC_BLOTTER.text))).toEqual(['fills']);
  });

  it('sorts by the latest value, its time and the samples loaded', () => {
    expect(names(sortRows(series, { key: 'latest', dir: 'desc' }, METRIC_BLOTTER.value))).toEqual(['fills', 'queue']);
    expect(names(sortRows(series, { key: 'samples', dir: 'asc' }, METRIC_BLOTTER.value))).toEqual(['queue', 'fills']);
    expect(names(sortRows(series, { key: 'at', dir: 'asc' }, METRIC_BLOTTER.value))).toEqual(['queue', 'fills']);
  });

  it('exports every sample of the metrics shown, in their order, each newest first, labels as JSON', async () => {
    const [queue, fills] = [series[1]!, series[0]!];
    expect(metricSamples([queue, fills]).map((m) => m.value)).toEqual([1, 3, 4, 2, 9]);
    const lines = (await METRIC_BLOTTER.csv([queue])).trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,id,name,value,labels');
    expect(lines[1]).toBe(`${new Date(samples[2]!.ts).toISOString()},${samples[2]!.id},queue,1,"{""desk"":""fx""}"`);
    expect(lines).toHaveLength(3);
  });
});
