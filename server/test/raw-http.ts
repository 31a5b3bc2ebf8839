import { connect } from 'node:net';

/** One hand-written HTTP request, as a hostile client might send it. */
export interface RawRequest {
  method?: string;
  target: string;
  /** The `Host:` header; null sends none. @default '127.0.0.1:<port>' */
  host?: string | null;
  /** Adds the WebSocket handshake headers. */
  upgrade?: boolean;
  headers?: Record<string, string>;
  body?: string;
}

/** What came back: the status line's code (null when the server closed without one) and the head. */
export interface RawResponse {
  status: number | null;
  head: string;
  body: string;
}

/** Writes the request as bytes on a fresh TCP connection and reads the answer (at most `timeoutMs`). */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 5000): Promise<RawResponse> {
  const lines = [`${request.method ?? 'GET'} ${request.target} HTTP/1.1`];
  const host = request.host === undefined ? `127.0.0.1:${port}` : request.host;
  if (host !== null) lines.push(`Host: ${host}`);
  if (request.upgrade) {
    lines.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13');
  } else {
    lines.push('Connection: close');
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${value}`);
  if (request.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(request.body)}`);
  const bytes = `${lines.join('\r\n')}\r\n\r\n${request.body ?? ''}`;

  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const end = received.indexOf('\r\n\r\n');
      const head = end === -1 ? received : received.slice(0, end);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      resolve({ status: status === undefined ? null : Number(status), head, body: end === -1 ? '' : received.slice(end + 4) });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      // A 101 and an event stream keep the socket open: the head is all we wait for.
      const end = received.indexOf('\r\n\r\n');
      if (end !== -1 && /^HTTP\/1\.1 101 |^content-type: text\/event-stream/im.test(received.slice(0, end))) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes, 'latin1');
  });
}
