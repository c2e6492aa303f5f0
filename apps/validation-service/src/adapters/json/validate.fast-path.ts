import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { FastPathHandler } from '@latchkey/service-kit';
import { problem } from '@latchkey/service-kit';
import type { HttpAnswer, ValidateJsonHandler } from './validate-json.handler';

export const VALIDATE_PATH = '/v1/validate';
export const MAX_BODY_BYTES = 64 * 1024;

const logger = new Logger('ValidateFastPath');

function send(res: ServerResponse, answer: HttpAnswer, close = false): void {
  if (res.headersSent) return;
  const json = JSON.stringify(answer.body);
  res.statusCode = answer.status;
  res.setHeader('content-type', answer.status === 200 ? 'application/json; charset=utf-8' : 'application/problem+json');
  res.setHeader('content-length', Buffer.byteLength(json));
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (close) res.setHeader('connection', 'close');
  res.end(json);
}

/** Answers and stops reading a request whose body will not be used. */
function reject(req: IncomingMessage, res: ServerResponse, answer: HttpAnswer): void {
  send(res, answer, true);
  req.resume();
}

const tooLarge = (): HttpAnswer => ({ status: 413, body: problem(413, `request body is larger than ${MAX_BODY_BYTES / 1024} KiB`) });

function readBody(req: IncomingMessage, res: ServerResponse, onBody: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  req.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      done = true;
      send(res, tooLarge(), true);
      // the rest of an oversized body is not read: close once the answer is out
      res.once('finish', () => req.destroy());
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (done) return;
    done = true;
    onBody(Buffer.concat(chunks, size));
  });
  req.on('error', () => {
    done = true;
  });
}

/**
 * `POST /v1/validate` on plain node:http, before Express and Nest see the request (DESIGN.md: ~1 ms answers).
 * Everything else is passed on.
 */
export function createValidateFastPath(handler: ValidateJsonHandler): FastPathHandler {
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if ((q < 0 ? url : url.slice(0, q)) !== VALIDATE_PATH) return false;
    if (req.method !== 'POST') {
      reject(req, res, { status: 405, body: problem(405, 'use POST'), headers: { allow: 'POST' } });
      return true;
    }
    if (!handler.authenticate(req.headers.authorization)) {
      reject(req, res, handler.unauthenticated());
      return true;
    }
    const type = req.headers['content-type'];
    if (type !== undefined && !/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) {
      reject(req, res, { status: 415, body: problem(415, 'send the body as application/json') });
      return true;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      reject(req, res, tooLarge());
      return true;
    }
    readBody(req, res, (raw) => {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        send(res, { status: 400, body: problem(400, 'request body is not valid JSON') });
        return;
      }
      handler.handle(body).then(
        (answer) => send(res, answer),
        (err: unknown) => {
          logger.error(`validate: ${err instanceof Error ? err.message : String(err)}`);
          send(res, { status: 500, body: problem(500, 'unexpected error') });
        },
      );
    });
    return true;
  };
}
