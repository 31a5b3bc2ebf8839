import { describe, expect, it } from 'vitest';
import type { DeskNotification, SystemAlert } from '../../../../shared/index';
import { searchRows, sortRows } from '../../lib/history/rows';
import { NOTIFICATION_BLOTTER, SIGNAL_BLOTTER, SYSTEM_ALERT_BLOTTER } from './feed-columns';
import { notificationsCsv } from './feed-csv';

const note = (id: string, severity: DeskNotification['severity'], title: string, body = ''): DeskNotification => ({ id, severity, title, body, ts: 1_700_000_000_000 });
const notes = [note('n1', 'warning', 'b'), note('n2', 'critical', 'a'), note('n3', 'info', 'c', 'disk, "full"')];
const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

describe('the Feeds panel blotters', () => {
  it('sorts severity by its rank, not its spelling', () => {
    expect(ids(sortRows(notes, { key: 'severity', dir: 'desc' }, NOTIFICATION_BLOTTER.value))).toEqual(['n2', 'n1', 'n3']);
    const alerts: SystemAlert[] = notes.map((n) => ({ id: n.id, severity: n.severity, component: n.title, message: '', ts: n.ts }));
    expect(ids(sortRows(alerts, { key: 'severity', dir: 'asc' }, SYSTEM_ALERT_BLOTTER.value))).toEqual(['n3', 'n1', 'n2']);
  });

  it('searches a notification body and a signal source', () => {
    expect(ids(searchRows(notes, 'FULL', NOTIFICATION_BLOTTER.text))).toEqual(['n3']);
    const signal = { id: 's1', symbol: 'AAPL', kind: 'breakout', strength: 0.4, source: 'momentum-1', ts: 1 };
    expect(searchRows([signal], 'momentum aapl', SIGNAL_BLOTTER.text)).toHaveLength(1);
  });

  it('exports every field, quoting a body with a comma and quotes', () => {
    expect(notificationsCsv([notes[2]!])).toBe(`time,id,severity,title,body\r\n2023-11-14T22:13:20.000Z,n3,info,c,"disk, ""full"""\r\n`);
  });
});
