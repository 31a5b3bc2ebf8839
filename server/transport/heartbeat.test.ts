import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createHeartbeat, type Beat, type BeatStore } from './heartbeat';

function fakeSocket(onSend?: (data: string) => void) {
  const sent: string[] = [];
  let terminated = false;
  const socket = {
    readyState: 1,
    send: (data: string) => {
      sent.push(data);
      onSend?.(data);
    },
    terminate: () => (terminated = true),
  };
  return { socket: socket as unknown as WebSocket, sent, terminated: () => terminated };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createHeartbeat', () => {
  it('pings a silent socket and terminates it when no answer comes', async () => {
    const heartbeat = createHeartbeat(40, 40);
    const quiet = fakeSocket();
    heartbeat.add(quiet.socket);
    await wait(70);
    expect(quiet.sent).toEqual(['PING']);
    expect(quiet.terminated()).toBe(false);
    await wait(80);
    expect(quiet.terminated()).toBe(true);
    expect(heartbeat.size).toBe(0);
  });

  it('keeps a socket that answers every PING', async () => {
    const heartbeat = createHeartbeat(40, 40);
    // Answers every PING with a PONG, a little later.
    const answering: ReturnType<typeof fakeSocket> = fakeSocket(() => setTimeout(() => heartbeat.seen(answering.socket), 5));
    heartbeat.add(answering.socket);
    await wait(250);
    expect(answering.sent.length).toBeGreaterThanOrEqual(2);
    expect(answering.sent.every((frame) => frame === 'PING')).toBe(true);
    expect(answering.terminated()).toBe(false);
    heartbeat.remove(answering.socket);
    heartbeat.stop();
  });

  it('keeps each socket\'s number in the store it is given, and pings from it', async () => {
    const kept = new Map<WebSocket, Beat>();
    const store: BeatStore = { get: (s) => kept.get(s), set: (s, b) => void kept.set(s, b), delete: (s) => void kept.delete(s), entries: () => kept.entries() };
    const heartbeat = createHeartbeat(40, 40, Date.now, store);
    const quiet = fakeSocket();
    heartbeat.add(quiet.socket);
    expect(kept.has(quiet.socket)).toBe(true);
    await wait(70);
    expect(quiet.sent).toEqual(['PING']);
    expect(kept.get(quiet.socket)!).toBeLessThan(0);
    heartbeat.remove(quiet.socket);
    expect(heartbeat.size).toBe(0);
    heartbeat.stop();
  });
});
