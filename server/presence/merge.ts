import type { Presence } from '../../shared/schema/presence';
import type { InstancePresence } from './registry';

/** One presence over several instances' readings: counts summed, connections oldest first. */
export function mergePresence(readings: readonly InstancePresence[]): Presence {
  const counts = { dashboard: 0, agent: 0, script: 0 };
  const connections = [];
  for (const reading of readings) {
    counts.dashboard += reading.counts.dashboard;
    counts.agent += reading.counts.agent;
    counts.script += reading.counts.script;
    connections.push(...reading.connections);
  }
  connections.sort((a, b) => a.since - b.since || a.id.localeCompare(b.id));
  return { counts, total: counts.dashboard + counts.agent + counts.script, connections, instances: readings.length };
}
