import type { IncomingMessage, ServerResponse } from 'node:http';

const EMPTY = Buffer.alloc(0);

/**
 * Reads the body of a plain node:http (fast path) request of at most `limit` bytes and hands it over in one Buffer.
 * Over the limit, `tooLarge` answers (asking the client to close) and the connection is dropped once that answer is
 * out: the rest of the body is never read. A small body is one chunk: no array, no concat.
 */
export function readBoundedBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  tooLarge: () => void,
  onBody: (body: Buffer) => void,
): void {
  let first: Buffer | null = null;
  let more: Buffer[] | null = null;
  let size = 0;
  let done = false;
  req.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > limit) {
      done = true;
      tooLarge();
      res.once('finish', () => req.destroy());
      return;
    }
    if (first === null) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  req.on('end', () => {
    if (done) return;
    done = true;
    onBody(more !== null ? Buffer.concat(more, size) : (first ?? EMPTY));
  });
  req.on('error', () => {
    done = true;
  });
}
