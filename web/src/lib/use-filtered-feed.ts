import { useState } from 'react';
import type { FeedFilter } from './feed-filter';
import { useDebouncedValue } from './use-debounced-value';
import { useFeedHold } from './use-feed-hold';
import { useFilterOptions } from './use-filter-options';
import type { LiveView } from './use-live-view';
import { useNewestFirst } from './use-newest-first';

/**
 * A feed panel's state: the agent / symbol filter being typed, applied to the subscription once it
 * settles (250 ms, `applied`), the rows newest first at most `feedMaxFps` times a second, held while paused or
 * scrolled away (`hold`), and the agents and symbols to suggest. `useLive` is the feed's own
 * subscription hook.
 */
export function useFilteredFeed<T extends { id: string }>(useLive: (filter: FeedFilter) => LiveView<T>) {
  const [filter, setFilter] = useState<FeedFilter>({ agentId: '', symbol: '' });
  const applied = useDebouncedValue(filter, 250);
  const { data, ready, error, updatedAt } = useLive(applied);
  const options = useFilterOptions();
  const hold = useFeedHold(useNewestFirst(data), keyOfId, `${applied.agentId}\u0000${applied.symbol}`);
  return { filter, setFilter, applied, options, rows: hold.rows, hold, ready, error, updatedAt };
}

const keyOfId = (row: { id: string }) => row.id;

/**
 * The filter a list's rows were fetched with, as its `data-filter` shows it ("agent|symbol"): what
 * is typed applies 250 ms later, and a test (or a user reading the DOM) can tell which rows are on screen.
 */
export const filterKey = (filter: FeedFilter): string => `${filter.agentId}|${filter.symbol}`;
