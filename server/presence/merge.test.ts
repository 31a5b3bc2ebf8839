import { describe, expect, it } from 'vitest';
import type { PresenceConnection } from '../../shared/schema/presence';
import { mergePresence } from './merge';

const connection = (id: string, instance: string, since: number, kind: PresenceConnection['kind'] = 'script'): PresenceConnection => ({
  id: `${instance}:${id}`,
  instance,
  kind,
  role: 'viewer',
  name: 'v',
  agentId: null,
  address: '127.0.0.1',
  since,
});

describe('mergePresence', () => {
  it('sums the counts of every instance and lists their connections oldest first', () => {
    const merged = mergePresence([
      { instance: 'a', counts: { dashboard: 1, agent: 0, script: 3 }, connections: [connection('1', 'a', 30, 'dashboard')], agentIds: [] },
      { instance: 'b', counts: { dashboard: 0, agent: 2, script: 0 }, connections: [connection('1', 'b', 10, 'agent'), connection('2', 'b', 20, 'agent')], agentIds: ['x'] },
    ]);
    expect(merged.counts).toEqual({ dashboard: 1, agent: 2, script: 3 });
    expect(merged.total).toBe(6);
    expect(merged.instances).toBe(2);
    expect(merged.connections.map((c) => c.id)).toEqual(['b:1', 'b:2', 'a:1']);
  });

  it('is empty without readings', () => {
    expect(mergePresence([])).toEqual({ counts: { dashboard: 0, agent: 0, script: 0 }, total: 0, connections: [], instances: 0 });
  });
});
