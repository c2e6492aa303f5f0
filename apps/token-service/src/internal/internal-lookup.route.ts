import type { IncomingMessage, ServerResponse } from 'node:http';
import { INTERNAL_SECRET_HEADER, ProblemDetails, TOKEN_LOOKUP_PATH, TokenLookupResult } from '@latchkey/contracts';
import { FastPathHandler, problem, ProblemDetailsFilter, readBoundedBody } from '@latchkey/service-kit';
import { constantTimeEqual } from '@latchkey/token-format';

export const MAX_LOOKUP_BODY_BYTES = 64 * 1024;

/** Where the route finds a token by the HMAC of its secret (TokenRepository in the service). */
export interface TokenLookupSource {
  findBySecretHash(secretHash: string): Promise<TokenLookupResult | null>;
}

export interface InternalLookupRouteOptions {
  tokens: TokenLookupSource;
  /** LATCHKEY_INTERNAL_SECRET, expected in INTERNAL_SECRET_HEADER */
  internalSecret: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json';
/** what express.json() parsed on the Nest route: application/json and application/*+json */
const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;
const SECRET_HASH = /^[0-9a-f]{64}$/;

// the same answers the Nest route gave (DomainError codes through the problem-details filter)
const UNAUTHENTICATED = problem(401, 'internal endpoint', { code: 'UNAUTHENTICATED' });
const NOT_FOUND = problem(404, 'no token has this hash', { code: 'TOKEN_NOT_FOUND' });
const TOO_LARGE = problem(413, `request body is larger than ${MAX_LOOKUP_BODY_BYTES / 1024} KiB`);
const NOT_JSON_TYPE = problem(415, 'send the body as application/json');
const ENCODED = problem(415, 'unsupported body encoding');
const BAD_JSON = problem(400, 'request body is not valid JSON');

/**
 * What the strict validation pipe said about a `TokenLookupRequest` body (libs/contracts): `secretHash`, a string of
 * 64 lower-case hex characters, and no other property. Empty when the body is one.
 */
export function tokenLookupRequestErrors(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['request body must be a JSON object'];
  const errors: string[] = [];
  for (const name of Object.keys(body)) if (name !== 'secretHash') errors.push(`property ${name} should not exist`);
  const hash = (body as { secretHash?: unknown }).secretHash;
  if (typeof hash !== 'string') errors.push('secretHash must be a string');
  if (typeof hash !== 'string' || !SECRET_HASH.test(hash)) errors.push('secretHash must be 64 lower-case hex characters');
  return errors;
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  const head = ['content-type', status === 200 ? JSON_TYPE : PROBLEM_TYPE, 'content-length', String(Buffer.byteLength(json)), 'cache-control', 'no-store'];
  if (close) head.push('connection', 'close');
  res.writeHead(status, head);
  res.end(json);
}

/** Answers before the body is read: the connection closes once the answer is out, so the body needs no reading. */
function reject(req: IncomingMessage, res: ServerResponse, status: number, body: ProblemDetails): void {
  send(res, status, body, true);
  req.resume();
}

/**
 * token-service's `POST /internal/v1/tokens/lookup` (HMAC -> token state, the validators' cache miss) on plain
 * node:http before Express and Nest see the request (issue 4: the Nest route cost ~1.5 ms of CPU per lookup around a
 * 0.3 ms SELECT). The body, which carries the HMAC, is never logged. Other requests, and other methods on this path
 * (a 404 as before), are passed on.
 */
export function createInternalLookupRoute(options: InternalLookupRouteOptions): FastPathHandler {
  const { tokens, internalSecret } = options;
  // an unexpected error answers as the Nest routes do: logged, 503 for an unreachable database, else a bare 500
  const errors = new ProblemDetailsFilter();
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if ((q < 0 ? url : url.slice(0, q)) !== TOKEN_LOOKUP_PATH) return false;

    const headers = req.headers;
    const secret = headers[INTERNAL_SECRET_HEADER];
    if (typeof secret !== 'string' || !constantTimeEqual(secret, internalSecret)) {
      reject(req, res, 401, UNAUTHENTICATED);
      return true;
    }
    const type = headers['content-type'];
    if (type === undefined || !JSON_CONTENT_TYPE.test(type)) {
      reject(req, res, 415, NOT_JSON_TYPE);
      return true;
    }
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      reject(req, res, 415, ENCODED);
      return true;
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_LOOKUP_BODY_BYTES) {
      reject(req, res, 413, TOO_LARGE);
      return true;
    }
    readBoundedBody(req, res, MAX_LOOKUP_BODY_BYTES, () => send(res, 413, TOO_LARGE, true), (raw) => {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        send(res, 400, BAD_JSON);
        return;
      }
      const invalid = tokenLookupRequestErrors(body);
      if (invalid.length > 0) {
        send(res, 400, problem(400, invalid.join('; '), { errors: invalid }));
        return;
      }
      tokens.findBySecretHash((body as { secretHash: string }).secretHash).then(
        (found) => (found ? send(res, 200, found) : send(res, 404, NOT_FOUND)),
        (err: unknown) => {
          const answer = errors.toProblem(err);
          send(res, answer.status, answer);
        },
      );
    });
    return true;
  };
}
