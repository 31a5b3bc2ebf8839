import type { WorkflowRun } from '../../../../../shared/index';
import { streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { maxHz: streamMaxHz.workflows };
const key = liveKey('agents.onWorkflows', input);
const keyOf = (w: WorkflowRun) => w.executionId;

/** Workflow runs and their stage, kept current by `agents.onWorkflows`. */
export function useLiveWorkflows() {
  const sink = useStreamSink<WorkflowRun>(key, { keyOf });
  const subscription = trpc.agents.onWorkflows.useSubscription(input, { onData: sink.onData });
  return useLiveView<WorkflowRun>(key, subscription);
}
