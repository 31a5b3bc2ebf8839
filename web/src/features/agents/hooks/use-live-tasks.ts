import type { Task } from '../../../../../shared/index';
import { streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { maxHz: streamMaxHz.tasks };
const key = liveKey('agents.onTasks', input);
const keyOf = (t: Task) => t.id;

/** Tasks and their progress, kept current by `agents.onTasks`. */
export function useLiveTasks() {
  const sink = useStreamSink<Task>(key, { keyOf });
  const subscription = trpc.agents.onTasks.useSubscription(input, { onData: sink.onData });
  return useLiveView<Task>(key, subscription);
}
