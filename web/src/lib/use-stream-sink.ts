import { hashKey, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { applyStreamMessage, type StreamMessage, type StreamViewOptions } from '../../../shared/index';
import { coalesceMessages } from './coalesce';
import { useLive } from './live-context';

/** One message as a subscription's `onData` receives it: `tracked(eventId, message)`. */
export interface Tracked<T> {
  id: string;
  data: StreamMessage<T>;
}

/** What `onData` receives: a tracked message, or a bare one from a derived stream (health, stats). */
export type Received<T> = Tracked<T> | StreamMessage<T>;

const isTracked = <T>(message: Received<T>): message is Tracked<T> => !('type' in message);

export interface StreamSinkOptions<T> extends StreamViewOptions<T> {
  /** Runs after each frame's messages were applied (e.g. to keep a price history). */
  onApplied?: (view: T[], messages: StreamMessage<T>[]) => void;
}

/**
 * The handlers a subscription feeds: messages are buffered and, once per animation frame,
 * coalesced and applied to the React Query cache under `key`.
 */
export function useStreamSink<T>(key: readonly unknown[], options: StreamSinkOptions<T>) {
  const queryClient = useQueryClient();
  const { queue, applied } = useLive();
  const hash = hashKey(key);
  const path = String(key[1]);
  const { keyOf, limit, onApplied } = options;

  const handlers = useMemo(() => {
    const flush = (received: Received<T>[]) => {
      const folded = coalesceMessages(
        received.map((message) => (isTracked(message) ? message.data : message)),
        keyOf,
      );
      const view = queryClient.setQueryData<T[]>(key, (old) =>
        folded.reduce<T[] | undefined>((acc, message) => applyStreamMessage(acc, message, { keyOf, limit }), old),
      );
      if (view) onApplied?.(view, folded);
      const last = received.findLast(isTracked);
      if (last) applied.observe(path, last.id);
    };
    return {
      onData(message: Received<T>) {
        queue.push(hash, message, flush);
      },
    };
    // `hash` stands for `key`, whose identity changes every render.
  }, [hash, path, queue, applied, queryClient, keyOf, limit, onApplied]);

  return handlers;
}
