import type { IncomingMessage } from 'node:http';

/**
 * Reads a request's body as UTF-8, or null once it passes `maxBytes` (the rest is not read and the
 * request is left to be answered and closed). A body that ends early or errors reads as what came.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish(null);
        return;
      }
      chunks.push(chunk);
    };
    const finish = (body: string | null) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
      req.off('close', onEnd);
      if (body === null) req.pause();
      resolve(body);
    };
    const onEnd = () => finish(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onEnd);
    // A client that goes away mid-body: no 'end' comes, and the answer goes nowhere.
    req.on('close', onEnd);
  });
}
