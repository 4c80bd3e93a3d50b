import type { IncomingMessage } from 'node:http';
import { WebhookError } from './webhook-error.js';

/** Past this many bytes a refused body is no longer drained: the answer goes out and the connection closes. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

/**
 * Reads a request body, raw (signatures are computed over the exact bytes). A body over
 * `maxBytes` (by `Content-Length` or while reading) is refused with {@link WebhookError} 413 and
 * never buffered: it is drained so the client reads the answer, up to 16 MiB, beyond which the
 * answer is sent at once and the connection closed.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = new WebhookError(
    413,
    'WebhookBodyTooLarge',
    `the body exceeds ${maxBytes} bytes`,
    { maxBytes },
  );
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > DRAIN_LIMIT) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = declared > maxBytes;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) over = true;
      if (!over) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) {
        req.removeAllListeners('data');
        req.pause();
        reject(tooLarge);
      }
    });
    req.once('end', () => (over ? reject(tooLarge) : resolve(Buffer.concat(chunks))));
    req.once('error', reject);
  });
}
