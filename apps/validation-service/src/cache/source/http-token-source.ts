import { Agent as HttpAgent, ClientRequest, IncomingMessage, request as httpRequest, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { INTERNAL_SECRET_HEADER, TOKEN_LOOKUP_PATH, TokenLookupResult } from '@latchkey/contracts';
import { ReuseReportSink, SourceUnavailableError, TokenRevoker, TokenSource } from '../token-read-model.port';

export const TOKEN_REVOKE_BY_HASH_PATH = '/internal/v1/tokens/revoke-by-hash';
export const TOKEN_REUSE_PATH = '/internal/v1/tokens/reuse';

/**
 * Connections kept to token-service. Lookups beyond this wait for a free connection (inside their timeout) instead of
 * opening more: token-service answers from a pool of 10 database connections anyway.
 */
const MAX_SOCKETS = 32;

export interface HttpTokenSourceOptions {
  baseUrl: string;
  internalSecret: string;
  timeoutMs: number;
}

interface Answer {
  status: number;
  body: string;
}

class TimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timeout after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * token-service's `POST /internal/v1/tokens/lookup`, the validators' source of truth (the HMAC goes in the body, never a URL).
 * node:http with a keep-alive agent rather than global fetch: undici's fetch (web streams, abort signals, a Response
 * per call) was the largest share of a validator's CPU on a cache miss (issue 4). Node's agent honours token-service's
 * Keep-Alive timeout hint, so an idle connection is dropped before the server closes it.
 */
export class HttpTokenSource implements TokenSource, TokenRevoker, ReuseReportSink {
  private readonly send: (options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest;
  private readonly agent: HttpAgent;
  private readonly targets: Record<'lookup' | 'reuse' | 'revokeByHash', RequestOptions>;

  constructor(private readonly options: HttpTokenSourceOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    const secure = new URL(base).protocol === 'https:';
    this.send = secure ? httpsRequest : httpRequest;
    this.agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }) : new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
    const target = (path: string): RequestOptions => ({ ...urlToHttpOptions(new URL(`${base}${path}`)), method: 'POST', agent: this.agent });
    this.targets = { lookup: target(TOKEN_LOOKUP_PATH), reuse: target(TOKEN_REUSE_PATH), revokeByHash: target(TOKEN_REVOKE_BY_HASH_PATH) };
  }

  async findByHash(hmac: string): Promise<TokenLookupResult | null> {
    let res: Answer;
    try {
      res = await this.post(this.targets.lookup, JSON.stringify({ secretHash: hmac }), this.options.timeoutMs);
    } catch (err) {
      throw new SourceUnavailableError(`token-service ${err instanceof TimeoutError ? err.message : 'unreachable'}`);
    }
    if (res.status === 404) return null;
    if (res.status !== 200) throw new SourceUnavailableError(`token-service answered ${res.status}`);
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      throw new SourceUnavailableError('token-service answered a body that is not JSON');
    }
    if (!isLookupResult(body)) throw new SourceUnavailableError('token-service answered an unexpected lookup shape');
    return body;
  }

  /** token-service's reuse report: it revokes the whole token when the secret is a rotated-away one past its grace */
  async reportReuse(hmac: string): Promise<{ revoked: boolean }> {
    let res: Answer;
    try {
      // the revoke waits for the replicas' acknowledgements on token-service's side
      res = await this.post(this.targets.reuse, JSON.stringify({ secretHash: hmac }), Math.max(this.options.timeoutMs, 5_000));
    } catch {
      throw new SourceUnavailableError('token-service unreachable');
    }
    if (res.status !== 200) throw new SourceUnavailableError(`token-service answered ${res.status}`);
    return { revoked: revokedIn(res.body) };
  }

  /** token-service's internal revoke by HMAC; a 404 means no such token (nothing to revoke) */
  async revokeByHash(hmac: string, reason: string): Promise<{ revoked: boolean }> {
    let res: Answer;
    try {
      // a revoke waits for the replicas' acknowledgements on token-service's side
      res = await this.post(this.targets.revokeByHash, JSON.stringify({ secretHash: hmac, reason }), Math.max(this.options.timeoutMs, 5_000));
    } catch {
      throw new SourceUnavailableError('token-service unreachable');
    }
    if (res.status === 404) return { revoked: false };
    if (res.status !== 200) throw new SourceUnavailableError(`token-service answered ${res.status}`);
    return { revoked: revokedIn(res.body) };
  }

  /**
   * One POST, its whole answer read (so the connection goes back to the agent); rejects with TimeoutError when the
   * answer is not complete within `timeoutMs`, with the socket's error when token-service cannot be reached.
   */
  private post(target: RequestOptions, payload: string, timeoutMs: number): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      let settled = false;
      // settle runs on events of the request (never synchronously), after the timer below exists
      const settle = (err: Error | null, answer?: Answer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(answer as Answer);
      };
      const req = this.send(
        {
          ...target,
          headers: {
            [INTERNAL_SECRET_HEADER]: this.options.internalSecret,
            accept: 'application/json',
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => settle(null, { status: res.statusCode ?? 0, body }));
          res.on('error', settle);
          // after 'end' this is a no-op; before it, the answer was cut off
          res.on('close', () => settle(new Error('token-service closed the connection mid-answer')));
        },
      );
      const timer = setTimeout(() => {
        settle(new TimeoutError(timeoutMs));
        req.destroy();
      }, timeoutMs);
      req.on('error', settle);
      req.end(payload);
    });
  }
}

function revokedIn(body: string): boolean {
  try {
    return (JSON.parse(body) as { revoked?: unknown } | null)?.revoked === true;
  } catch {
    return false;
  }
}

function isLookupResult(value: unknown): value is TokenLookupResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { secretGeneration?: unknown; token?: Record<string, unknown> | null };
  const t = v.token;
  return (
    typeof v.secretGeneration === 'number' &&
    typeof t === 'object' &&
    t !== null &&
    typeof t.id === 'string' &&
    typeof t.ownerId === 'string' &&
    typeof t.status === 'string' &&
    typeof t.version === 'number' &&
    typeof t.secretGeneration === 'number' &&
    Array.isArray(t.scopes) &&
    Array.isArray(t.allowedCidrs)
  );
}
