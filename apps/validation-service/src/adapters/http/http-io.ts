import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBoundedBody } from '@latchkey/service-kit';

/** A plain-node:http route of the hot path; the request is fully handled (answered) by it. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Answers once (later calls are ignored); `close` asks the client to drop the connection (unread body). */
export function send(res: ServerResponse, status: number, body: string | null, headers: Record<string, string> = {}, close = false): void {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = status;
  res.setHeader('cache-control', 'no-store');
  for (const name in headers) res.setHeader(name, headers[name]);
  if (close) res.setHeader('connection', 'close');
  if (body === null) {
    res.setHeader('content-length', 0);
    res.end();
    return;
  }
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}, close = false): void {
  const type = status >= 400 && isProblem(value) ? 'application/problem+json' : 'application/json; charset=utf-8';
  send(res, status, JSON.stringify(value), { 'content-type': type, ...headers }, close);
}

function isProblem(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'title' in value && 'status' in value;
}

/** Drains and ignores a request body (GET-style routes), so keep-alive connections stay usable. */
export function discardBody(req: IncomingMessage): void {
  if (!req.complete) req.resume();
}

/**
 * Reads a body of at most `limit` bytes; over the limit, answers with `tooLarge()` and closes the connection once the
 * answer is out (the rest is not read).
 */
export function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  tooLarge: () => void,
  onBody: (body: Buffer) => void,
): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    tooLarge();
    req.resume();
    return;
  }
  readBoundedBody(req, res, limit, tooLarge, onBody);
}

/**
 * An application/x-www-form-urlencoded body as a map; null when a parameter appears twice (RFC 6749 §3.2: request
 * parameters must not be included more than once) or a value is not valid UTF-8 percent-encoding.
 */
export function parseForm(raw: string): Map<string, string> | null {
  const out = new Map<string, string>();
  if (raw === '') return out;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return null;
    }
    if (out.has(name)) return null;
    out.set(name, value);
  }
  return out;
}

/** A header value safe for node:http (printable ASCII); anything else is percent-encoded. */
export function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
