import type { Position } from '../../../../../shared/index';
import { streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const keyOf = (p: Position) => p.id;

/** One symbol's position rows from `market.onPositions`, filtered on the server. */
export function useSymbolPosition(symbol: string) {
  const input = { maxHz: streamMaxHz.positions, symbols: [symbol] };
  const key = liveKey('market.onPositions', input);
  const sink = useStreamSink<Position>(key, { keyOf });
  const subscription = trpc.market.onPositions.useSubscription(input, { onData: sink.onData });
  return useLiveView<Position>(key, subscription);
}
