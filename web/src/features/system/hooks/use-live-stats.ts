import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Stats } from '../../../../../shared/index';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';
import { addSample, emptyThroughput, type Throughput } from '../throughput';

const input = {};
const key = liveKey('system.onStats', input);
const throughputKey = liveKey('system.onStats/throughput', input);
const keyOf = () => 'stats';
const SAMPLES = 60;

/** The server's stats (once a second) and the message/event rates derived from them. */
export function useLiveStats() {
  const queryClient = useQueryClient();
  const onApplied = useCallback(
    (view: Stats[]) => {
      const stats = view[0];
      if (stats) queryClient.setQueryData<Throughput>(throughputKey, (old) => addSample(old ?? emptyThroughput, stats, SAMPLES));
    },
    [queryClient],
  );
  const sink = useStreamSink<Stats>(key, { keyOf, onApplied });
  const subscription = trpc.system.onStats.useSubscription(input, { onData: sink.onData });
  const view = useLiveView<Stats>(key, subscription);
  const throughput = useQuery<Throughput>({ queryKey: throughputKey, queryFn: skipToken, staleTime: Infinity });
  return { ...view, stats: view.data?.[0], throughput: throughput.data ?? emptyThroughput };
}
