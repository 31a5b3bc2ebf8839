import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ws from 'ws';
import WebSocket, { WebSocketServer } from 'ws';
import { frameSocketOf, writeText, writeTextFrame, type FrameSocket } from './raw-frames';

/** What `ws` itself puts on the wire for a text message: its Sender's frame, header and payload. */
function wsFrame(text: string): Buffer {
  const chunks: Buffer[] = [];
  const socket = { cork() {}, uncork() {}, write: (chunk: Buffer | string) => void chunks.push(Buffer.from(chunk)) };
  const Sender = (ws as unknown as { Sender: new (socket: unknown) => { send(data: string, options: object): void } }).Sender;
  new Sender(socket).send(text, { binary: false, fin: true, mask: false, compress: false });
  return Buffer.concat(chunks);
}

describe('writeTextFrame', () => {
  it('writes byte for byte the frame ws sends, at every length encoding', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_001]) {
      const text = 'é'.repeat(Math.floor(length / 4)) + 'x'.repeat(length - 2 * Math.floor(length / 4));
      const split = Math.floor(text.length / 3);
      const written: Buffer[] = [];
      const socket: FrameSocket = { write: (chunk) => written.push(chunk) > 0 };
      const size = writeTextFrame(socket, Buffer.from(text.slice(0, split)), Buffer.from(text.slice(split)));
      expect(written).toHaveLength(1);
      expect(written[0]!.equals(wsFrame(text))).toBe(true);
      expect(size).toBe(Buffer.byteLength(text));
    }
  });

  it('writes a string byte for byte as ws sends it, as one chunk', () => {
    for (const length of [0, 1, 125, 126, 65_535, 65_536, 70_001]) {
      const text = 'é'.repeat(Math.floor(length / 4)) + 'x'.repeat(length - 2 * Math.floor(length / 4));
      const written: Buffer[] = [];
      const size = writeText({ write: (chunk) => written.push(chunk) > 0 }, text);
      expect(written).toHaveLength(1);
      expect(written[0]!.equals(wsFrame(text))).toBe(true);
      expect(size).toBe(Buffer.byteLength(text));
    }
  });

  it('is offered for a plain socket and refused for one with permessage-deflate', async () => {
    const server = createServer();
    const plain = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const deflating = new WebSocketServer({ noServer: true, perMessageDeflate: true });
    const accepted: WebSocket[] = [];
    server.on('upgrade', (req, socket, head) => {
      const wss = req.url === '/deflate' ? deflating : plain;
      wss.handleUpgrade(req, socket, head, (ws) => accepted.push(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const clients = ['/plain', '/deflate'].map((path) => new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: true }));
    await Promise.all(clients.map((c) => new Promise((resolve) => c.once('open', resolve))));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const byPath = (deflate: boolean) => accepted.find((ws) => (ws.extensions !== '') === deflate)!;
    expect(frameSocketOf(byPath(false))).not.toBeNull();
    expect(frameSocketOf(byPath(true))).toBeNull();
    // What is written to the plain one arrives as a text message.
    const received = new Promise<string>((resolve) => clients[0]!.once('message', (data) => resolve(String(data))));
    writeTextFrame(frameSocketOf(byPath(false))!, Buffer.from('{"id":1,'), Buffer.from('"ok":true}'));
    expect(await received).toBe('{"id":1,"ok":true}');
    for (const c of clients) c.close();
    for (const ws of accepted) ws.terminate();
    await new Promise((resolve) => server.close(resolve));
  });
});
