import { memo, useState } from 'react';
import type { DeskCustomEvent } from '../../../../../shared/index';
import { BlotterList } from '../../../components/ui/blotter-list';
import { BlotterTools } from '../../../components/ui/blotter-tools';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { HistoryFooter } from '../../../components/ui/history-footer';
import { Panel, StreamState } from '../../../components/ui/panel';
import { TextFilter } from '../../../components/ui/text-filter';
import { formatClock } from '../../../lib/format';
import { useBlotter } from '../../../lib/history/use-blotter';
import { useHistoryFeed } from '../../../lib/history/use-history-feed';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useFeedHold } from '../../../lib/use-feed-hold';
import { useNewestFirst } from '../../../lib/use-newest-first';
import { useSeenValues } from '../../../lib/use-seen-values';
import { CUSTOM_BLOTTER } from '../custom-columns';
import { useCustomEventsHistory } from '../hooks/use-custom-events-history';
import { useLiveCustomEvents } from '../hooks/use-live-custom-events';

const keyOfId = (e: DeskCustomEvent) => e.id;
const typeOf = (e: DeskCustomEvent) => e.type;
/** Characters of an event's data shown on its line; the whole of it is one click away. */
const PREVIEW_CHARS = 160;

/**
 * Custom events, newest first, filtered by type on the server; each one's data on a line and in
 * full when opened; older ones from history below. The search (type and data) and the sort apply
 * to the rows loaded, and the export saves what is shown.
 */
export function CustomEventsPanel() {
  const [type, setType] = useState('');
  const applied = useDebouncedValue(type, 250);
  const events = useLiveCustomEvents(applied);
  const hold = useFeedHold(useNewestFirst(events.data), keyOfId, applied);
  const history = useHistoryFeed(hold, useCustomEventsHistory, applied);
  const types = useSeenValues(events.data, typeOf);
  const blotter = useBlotter(history.rows, history.keep, CUSTOM_BLOTTER);
  const { rows } = blotter;
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
          <BlotterTools id="custom" label="custom events" file="custom-events" blotter={blotter} />
        </>
      }
    >
      <StreamState
        error={events.error}
        ready={events.ready}
        empty={rows.length === 0 && hold.newCount === 0}
        emptyText={blotter.search.trim() ? 'No loaded custom events match the search.' : applied.trim() ? 'No custom events of this type.' : 'No custom events yet.'}
        testId="custom"
      >
        <NewRowsButton id="custom" label="custom events" hold={hold} />
        <BlotterList testId="custom-list" rows={rows} row={customRow} listRef={hold.listRef} held={hold.held} filter={applied} />
      </StreamState>
      {events.ready && !events.error ? <HistoryFooter id="custom" label="custom events" feed={history} /> : null}
    </Panel>
  );
}

const customRow = (e: DeskCustomEvent) => <CustomEventRow key={e.id} event={e} />;

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
