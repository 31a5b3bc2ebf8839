/** Per-second rates derived from successive stats samples. */
export interface Throughput {
  last: { ts: number; messagesSent: number; events: number } | null;
  /** Messages sent per second, oldest first. */
  messages: number[];
  /** Events committed per second, oldest first. */
  events: number[];
}

export const emptyThroughput: Throughput = { last: null, messages: [], events: [] };

/**
 * Adds a stats sample: the rates since the previous one are appended (newest `max` kept). Samples
 * that are not newer are ignored; counters that went backwards (a restarted server) start over.
 */
export function addSample(series: Throughput, sample: { ts: number; messagesSent: number; events: number }, max: number): Throughput {
  const { last } = series;
  const current = { ts: sample.ts, messagesSent: sample.messagesSent, events: sample.events };
  if (!last) return { ...series, last: current };
  if (sample.ts <= last.ts) return series;
  if (sample.messagesSent < last.messagesSent || sample.events < last.events) return { last: current, messages: [], events: [] };
  const seconds = (sample.ts - last.ts) / 1000;
  const keep = (values: number[], v: number) => [...values, v].slice(-max);
  return {
    last: current,
    messages: keep(series.messages, Math.round((sample.messagesSent - last.messagesSent) / seconds)),
    events: keep(series.events, Math.round((sample.events - last.events) / seconds)),
  };
}
