import { memo, useCallback, useState } from 'react';
import type { DeskCustomEvent } from '../../../../../shared/index';
import { ExportCsvButton } from '../../../components/ui/export-csv-button';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { HistoryFooter } from '../../../components/ui/history-footer';
import { Panel, StreamState } from '../../../components/ui/panel';
import { TextFilter } from '../../../components/ui/text-filter';
import { formatClock } from '../../../lib/format';
import { useHistoryFeed } from '../../../lib/history/use-history-feed';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useFeedHold } from '../../../lib/use-feed-hold';
import { useNewestFirst } from '../../../lib/use-newest-first';
import { useSeenValues } from '../../../lib/use-seen-values';
import { useCustomEventsHistory } from '../hooks/use-custom-events-history';
import { useLiveCustomEvents } from '../hooks/use-live-custom-events';

const keyOfId = (e: DeskCustomEvent) => e.id;
const typeOf = (e: DeskCustomEvent) => e.type;
/** Characters of an event's data shown on its line; the whole of it is one click away. */
const PREVIEW_CHARS = 160;

/** Custom events, newest first, filtered by type on the server; each one's data on a line and in full when opened; older ones from history below. */
export function CustomEventsPanel() {
  const [type, setType] = useState('');
  const applied = useDebouncedValue(type, 250);
  const events = useLiveCustomEvents(applied);
  const hold = useFeedHold(useNewestFirst(events.data), keyOfId, applied);
  const history = useHistoryFeed(hold, useCustomEventsHistory, applied);
  const types = useSeenValues(events.data, typeOf);
  const csv = useCallback(() => import('../custom-csv').then((m) => m.customEventsCsv(history.rows)), [history.rows]);
  return (
    <Panel
      title="Custom events"
      testId="panel-custom"
      className="area-custom"
      updatedAt={events.updatedAt}
      actions={
        <>
          <TextFilter testId="custom-filter-type" label="type" value={type} onChange={setType} suggestions={types} />
          <FeedPauseButton id="custom" label="custom events" hold={hold} />
          <ExportCsvButton testId="custom-export" what="custom-events" csv={csv} count={history.rows.length} />
        </>
      }
    >
      <StreamState
        error={events.error}
        ready={events.ready}
        empty={history.rows.length === 0 && hold.newCount === 0}
        emptyText={applied.trim() ? 'No custom events of this type.' : 'No custom events yet.'}
        testId="custom"
      >
        <NewRowsButton id="custom" label="custom events" hold={hold} />
        <ul className="feed" data-testid="custom-list" ref={hold.listRef} data-held={hold.held} data-filter={applied}>
          {history.rows.map((e) => (
            <CustomEventRow key={e.id} event={e} />
          ))}
        </ul>
      </StreamState>
      {events.ready && !events.error ? <HistoryFooter id="custom" label="custom events" feed={history} /> : null}
    </Panel>
  );
}

const CustomEventRow = memo(function CustomEventRow({ event: e }: { event: DeskCustomEvent }) {
  const json = JSON.stringify(e.data);
  return (
    <li className="feed-row" data-testid="custom-row" data-id={e.id} data-type={e.type}>
      <details>
        <summary>
          <span className="feed-time">{formatClock(e.ts)}</span>
          <span className="sym custom-type">{e.type}</span>
          <span className="feed-text mono" data-testid="custom-data">
            {json.length > PREVIEW_CHARS ? `${json.slice(0, PREVIEW_CHARS)}…` : json}
          </span>
        </summary>
        <pre className="custom-json">{JSON.stringify(e.data, null, 2)}</pre>
      </details>
    </li>
  );
});
