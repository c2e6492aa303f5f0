import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { FastPathHandler } from '@latchkey/service-kit';
import { problem, readBoundedBody } from '@latchkey/service-kit';
import type { HttpAnswer, ValidateJsonHandler } from './validate-json.handler';

export const VALIDATE_PATH = '/v1/validate';
export const MAX_BODY_BYTES = 64 * 1024;

const logger = new Logger('ValidateFastPath');

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json';
/**
 * The answer's header block, reused: writeHead copies it into the head synchronously, so one array per slot serves
 * every request (no setHeader per header, no header object, no Object.entries).
 */
const OK_HEAD: string[] = ['content-type', JSON_TYPE, 'content-length', '', 'cache-control', 'no-store'];

function send(res: ServerResponse, answer: HttpAnswer, close = false): void {
  if (res.headersSent) return;
  const json = JSON.stringify(answer.body);
  if (answer.status === 200 && answer.headers === undefined && !close) {
    OK_HEAD[3] = String(Buffer.byteLength(json));
    res.writeHead(200, OK_HEAD);
    res.end(json);
    return;
  }
  const head: string[] = [
    'content-type',
    answer.status === 200 ? JSON_TYPE : PROBLEM_TYPE,
    'content-length',
    String(Buffer.byteLength(json)),
    'cache-control',
    'no-store',
  ];
  const extra = answer.headers;
  if (extra !== undefined) for (const name in extra) head.push(name, extra[name]);
  if (close) head.push('connection', 'close');
  res.writeHead(answer.status, head);
  res.end(json);
}

/** Answers and stops reading a request whose body will not be used. */
function reject(req: IncomingMessage, res: ServerResponse, answer: HttpAnswer): void {
  send(res, answer, true);
  req.resume();
}

const tooLarge = (): HttpAnswer => ({ status: 413, body: problem(413, `request body is larger than ${MAX_BODY_BYTES / 1024} KiB`) });


/** The three request headers the route reads, first occurrence wins (as node's `req.headers` keeps them). */
interface RouteHeaders {
  authorization: string | undefined;
  contentType: string | undefined;
  contentLength: string | undefined;
}

/** Read straight from rawHeaders into one reused record: node's `req.headers` object is never built. */
const seen: RouteHeaders = { authorization: undefined, contentType: undefined, contentLength: undefined };

function routeHeaders(raw: string[]): RouteHeaders {
  seen.authorization = undefined;
  seen.contentType = undefined;
  seen.contentLength = undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    switch (name.length) {
      case 13:
        if (seen.authorization === undefined && name.toLowerCase() === 'authorization') seen.authorization = raw[i + 1];
        break;
      case 12:
        if (seen.contentType === undefined && name.toLowerCase() === 'content-type') seen.contentType = raw[i + 1];
        break;
      case 14:
        if (seen.contentLength === undefined && name.toLowerCase() === 'content-length') seen.contentLength = raw[i + 1];
        break;
    }
  }
  return seen;
}

function failed(res: ServerResponse, err: unknown): void {
  logger.error(`validate: ${err instanceof Error ? err.message : String(err)}`);
  send(res, { status: 500, body: problem(500, 'unexpected error') });
}

/**
 * `POST /v1/validate` on plain node:http, before Express and Nest see the request (~1 ms answers).
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
    const headers = routeHeaders(req.rawHeaders);
    if (!handler.authenticate(headers.authorization)) {
      reject(req, res, handler.unauthenticated());
      return true;
    }
    const type = headers.contentType;
    if (type !== undefined && !/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) {
      reject(req, res, { status: 415, body: problem(415, 'send the body as application/json') });
      return true;
    }
    const declared = Number(headers.contentLength);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      reject(req, res, tooLarge());
      return true;
    }
    readBoundedBody(req, res, MAX_BODY_BYTES, () => send(res, tooLarge(), true), (raw) => {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString());
      } catch {
        send(res, { status: 400, body: problem(400, 'request body is not valid JSON') });
        return;
      }
      let answer: HttpAnswer | Promise<HttpAnswer>;
      try {
        answer = handler.handleNow(body);
      } catch (err) {
        failed(res, err);
        return;
      }
      // a cache hit answers right here, in the same tick as the request's end
      if (!(answer instanceof Promise)) send(res, answer);
      else answer.then((a) => send(res, a), (err: unknown) => failed(res, err));
    });
    return true;
  };
}
