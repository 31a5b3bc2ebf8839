import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createHeartbeat } from './heartbeat';

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

  it('keeps a socket that answers, and pings no socket that keeps talking', async () => {
    const heartbeat = createHeartbeat(40, 40);
    // Answers every PING with a PONG, a little later.
    const answering: ReturnType<typeof fakeSocket> = fakeSocket(() => setTimeout(() => heartbeat.seen(answering.socket), 5));
    const chatty = fakeSocket();
    heartbeat.add(answering.socket);
    heartbeat.add(chatty.socket);
    const talk = setInterval(() => heartbeat.seen(chatty.socket), 10);
    await wait(250);
    clearInterval(talk);
    expect(answering.sent.length).toBeGreaterThanOrEqual(2);
    expect(answering.sent.every((frame) => frame === 'PING')).toBe(true);
    expect(answering.terminated()).toBe(false);
    expect(chatty.sent).toEqual([]);
    expect(chatty.terminated()).toBe(false);
    heartbeat.remove(answering.socket);
    heartbeat.remove(chatty.socket);
    heartbeat.stop();
  });
});
