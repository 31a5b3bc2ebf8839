import { useMemo, useState } from 'react';
import { feedMaxFps } from './config';
import type { FeedFilter } from './feed-filter';
import { useDebouncedValue } from './use-debounced-value';
import { useFilterOptions } from './use-filter-options';
import type { LiveView } from './use-live-view';
import { useThrottledValue } from './use-throttled-value';

/**
 * A feed panel's state: the agent / symbol filter being typed, applied to the subscription once it
 * settles (250 ms), the rows newest first at most `feedMaxFps` times a second, and the agents and
 * symbols to suggest. `useLive` is the feed's own subscription hook.
 */
export function useFilteredFeed<T>(useLive: (filter: FeedFilter) => LiveView<T>) {
  const [filter, setFilter] = useState<FeedFilter>({ agentId: '', symbol: '' });
  const applied = useDebouncedValue(filter, 250);
  const { data, ready, error, updatedAt } = useLive(applied);
  const options = useFilterOptions();
  const shown = useThrottledValue(data, 1000 / feedMaxFps);
  const rows = useMemo(() => (shown ? [...shown].reverse() : []), [shown]);
  return { filter, setFilter, options, rows, ready, error, updatedAt };
}
