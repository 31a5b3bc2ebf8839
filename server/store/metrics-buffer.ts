import type { MetricSample, RecordMetricsInput } from '../../shared/schema/feeds';
import type { Hub } from '../hub/hub';
import type { LogTopic } from '../hub/log-topic';
import { idMaker } from './ids';

export interface MetricsBufferOptions {
  /** Samples that trigger an immediate flush. @default 100 */
  batchSize?: number;
  /** Longest a sample waits before its batch is flushed. @default 1000 */
  flushMs?: number;
  now?: () => number;
}

/**
 * Buffers metric samples and publishes them as one batch (one commit) when `batchSize` is reached
 * or every `flushMs`, so a chatty metrics source costs one message per batch, not per sample.
 */
export class MetricsBuffer {
  private pending: Omit<MetricSample, 'id'>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly batchSize: number;
  private readonly flushMs: number;
  private readonly now: () => number;

  constructor(
    private readonly hub: Hub,
    private readonly topic: LogTopic<MetricSample>,
    options: MetricsBufferOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.flushMs = options.flushMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Where a flushed batch goes: published here by default; a cluster sends it through the shared
   * command log instead (and gets no id back at once).
   */
  onFlush: (samples: Omit<MetricSample, 'id'>[]) => number | null = (samples) => this.publish(samples);

  /** Adds samples; returns the batch's event id when this call flushed it, else null. */
  add(input: RecordMetricsInput): number | null {
    const now = this.now();
    for (const sample of input.samples) this.pending.push({ ...sample, ts: sample.ts ?? now });
    return this.pending.length >= this.batchSize ? this.flush() : null;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  flush(): number | null {
    if (this.pending.length === 0) return null;
    const batch = this.pending;
    this.pending = [];
    return this.onFlush(batch);
  }

  /** Publishes one batch as one commit. */
  publish(samples: readonly Omit<MetricSample, 'id'>[]): number | null {
    if (samples.length === 0) return null;
    return this.hub.commit((tx) => {
      const makeId = idMaker(tx.id);
      tx.append(this.topic, ...samples.map((sample) => ({ id: makeId('met'), ...sample })));
    });
  }

  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.flushMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
  }
}
