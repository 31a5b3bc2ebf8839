import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { PRESENCE_LIST_LIMIT } from '../../shared/schema/presence';
import { PresenceRegistry } from './registry';

/** What the registry uses of a socket: its state and its `close` event. */
const socket = () => Object.assign(new EventEmitter(), { readyState: 1 }) as unknown as WebSocket & EventEmitter;
const entry = (id: string, agentId: string | null = null) => ({ id, kind: agentId ? ('agent' as const) : ('script' as const), role: 'operator' as const, name: 'n', agentId, address: '127.0.0.1', since: 1 });

describe('PresenceRegistry', () => {
  it('lists a bounded number of connections but counts every one and names every claimed agent', () => {
    const registry = new PresenceRegistry({ instance: 'i1' });
    const total = PRESENCE_LIST_LIMIT + 10;
    for (let i = 0; i < total; i++) registry.join(socket(), entry(`ws-${i}`, i === total - 1 ? 'late-agent' : null));
    const reading = registry.reading();
    expect(reading.connections).toHaveLength(PRESENCE_LIST_LIMIT);
    expect(reading.connections[0]).toMatchObject({ id: 'i1:ws-0', instance: 'i1' });
    expect(reading.counts).toEqual({ dashboard: 0, agent: 1, script: total - 1 });
    expect(reading.agentIds).toEqual(['late-agent']);
  });

  it('releases an agent id when its last claiming connection closes, and ignores a socket already closing', () => {
    const released: string[] = [];
    const claimed: string[] = [];
    const registry = new PresenceRegistry({ instance: null, onClaimed: (id) => claimed.push(id), onReleased: (id) => released.push(id) });
    const [a, b] = [socket(), socket()];
    registry.join(a, entry('ws-1', 'bot'));
    registry.join(b, entry('ws-2', 'bot'));
    expect(claimed).toEqual(['bot']);
    a.emit('close');
    expect(released).toEqual([]);
    expect(registry.isClaimed('bot')).toBe(true);
    b.emit('close');
    expect(released).toEqual(['bot']);
    expect(registry.reading()).toMatchObject({ counts: { agent: 0 }, connections: [], agentIds: [] });

    const closing = Object.assign(socket(), { readyState: 2 });
    registry.join(closing, entry('ws-3', 'bot'));
    expect(registry.reading().connections).toEqual([]);
  });

  it('writes an entry as the schema lists it, with its instance and since when', () => {
    const registry = new PresenceRegistry({ instance: 'i1' });
    const since = Date.now() - 5000;
    registry.join(socket(), { ...entry('ws-7', 'bot'), since });
    const [listed] = registry.reading().connections;
    expect(listed!.since).toBe(since);
    expect(listed!.instance).toBe('i1');
    expect(JSON.stringify(listed)).toBe(
      JSON.stringify({ id: 'i1:ws-7', instance: 'i1', kind: 'agent', role: 'operator', name: 'n', agentId: 'bot', address: '127.0.0.1', since }),
    );
    // A reading holds plain objects: a copy by spread or structured clone keeps every field.
    const whole = { id: 'i1:ws-7', instance: 'i1', kind: 'agent', role: 'operator', name: 'n', agentId: 'bot', address: '127.0.0.1', since };
    expect({ ...listed }).toStrictEqual(whole);
    expect(structuredClone(listed)).toStrictEqual(whole);
  });
});
