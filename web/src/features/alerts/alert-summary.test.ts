import { describe, expect, it } from 'vitest';
import { countAlerts, createArrivalWatch, titleWithAlerts } from './alert-summary';

describe('alert summary', () => {
  it('counts alerts by severity', () => {
    expect(countAlerts([{ severity: 'critical' }, { severity: 'warning' }, { severity: 'critical' }])).toEqual({ total: 3, critical: 2, warning: 1, info: 0 });
    expect(countAlerts([])).toEqual({ total: 0, critical: 0, warning: 0, info: 0 });
  });

  it('puts the count in the title, critical ones first, and nothing when all is quiet', () => {
    expect(titleWithAlerts('livedesk', countAlerts([]))).toBe('livedesk');
    expect(titleWithAlerts('livedesk', countAlerts([{ severity: 'warning' }, { severity: 'info' }]))).toBe('(2) livedesk');
    expect(titleWithAlerts('livedesk', countAlerts([{ severity: 'critical' }, { severity: 'info' }]))).toBe('(1 critical · 2) livedesk');
  });

  it('reports rows that arrived since the last look, none on the first', () => {
    const watch = createArrivalWatch<{ id: string }>();
    expect(watch.arrived([{ id: 'a' }, { id: 'b' }])).toEqual([]);
    expect(watch.arrived([{ id: 'b' }, { id: 'c' }])).toEqual([{ id: 'c' }]);
    // a row that left and an unchanged list announce nothing
    expect(watch.arrived([{ id: 'c' }])).toEqual([]);
    expect(watch.arrived([{ id: 'c' }, { id: 'a' }])).toEqual([{ id: 'a' }]);
  });
});
