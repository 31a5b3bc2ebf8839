import type { Position } from '../../../../../shared/index';
import { streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { maxHz: streamMaxHz.positions };
const key = liveKey('market.onPositions', input);
const keyOf = (p: Position) => p.id;

/** Open positions, row by row from `market.onPositions`. */
export function useLivePositions() {
  const sink = useStreamSink<Position>(key, { keyOf });
  const subscription = trpc.market.onPositions.useSubscription(input, { onData: sink.onData });
  return useLiveView<Position>(key, subscription);
}
