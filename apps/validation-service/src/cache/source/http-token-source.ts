import { INTERNAL_SECRET_HEADER, TOKEN_LOOKUP_PATH, TokenLookupResult } from '@latchkey/contracts';
import { ReuseReportSink, SourceUnavailableError, TokenRevoker, TokenSource } from '../token-read-model.port';

export const TOKEN_REVOKE_BY_HASH_PATH = '/internal/v1/tokens/revoke-by-hash';
export const TOKEN_REUSE_PATH = '/internal/v1/tokens/reuse';

export interface HttpTokenSourceOptions {
  baseUrl: string;
  internalSecret: string;
  timeoutMs: number;
}

/** token-service's `POST /internal/v1/tokens/lookup`, the validators' source of truth (the HMAC goes in the body, never a URL). */
export class HttpTokenSource implements TokenSource, TokenRevoker, ReuseReportSink {
  private readonly base: string;

  constructor(private readonly options: HttpTokenSourceOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async findByHash(hmac: string): Promise<TokenLookupResult | null> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${TOKEN_LOOKUP_PATH}`, {
        method: 'POST',
        headers: { [INTERNAL_SECRET_HEADER]: this.options.internalSecret, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ secretHash: hmac }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `timeout after ${this.options.timeoutMs} ms` : 'unreachable';
      throw new SourceUnavailableError(`token-service ${reason}`);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new SourceUnavailableError(`token-service answered ${res.status}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new SourceUnavailableError('token-service answered a body that is not JSON');
    }
    if (!isLookupResult(body)) throw new SourceUnavailableError('token-service answered an unexpected lookup shape');
    return body;
  }

  /** token-service's reuse report: it revokes the whole token when the secret is a rotated-away one past its grace */
  async reportReuse(hmac: string): Promise<{ revoked: boolean }> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${TOKEN_REUSE_PATH}`, {
        method: 'POST',
        headers: { [INTERNAL_SECRET_HEADER]: this.options.internalSecret, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ secretHash: hmac }),
        // the revoke waits for the replicas' acknowledgements on token-service's side
        signal: AbortSignal.timeout(Math.max(this.options.timeoutMs, 5_000)),
      });
    } catch {
      throw new SourceUnavailableError('token-service unreachable');
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new SourceUnavailableError(`token-service answered ${res.status}`);
    }
    const body = (await res.json().catch(() => null)) as { revoked?: unknown } | null;
    return { revoked: body?.revoked === true };
  }

  /** token-service's internal revoke by HMAC; a 404 means no such token (nothing to revoke) */
  async revokeByHash(hmac: string, reason: string): Promise<{ revoked: boolean }> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${TOKEN_REVOKE_BY_HASH_PATH}`, {
        method: 'POST',
        headers: { [INTERNAL_SECRET_HEADER]: this.options.internalSecret, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ secretHash: hmac, reason }),
        // a revoke waits for the replicas' acknowledgements on token-service's side
        signal: AbortSignal.timeout(Math.max(this.options.timeoutMs, 5_000)),
      });
    } catch {
      throw new SourceUnavailableError('token-service unreachable');
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return { revoked: false };
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new SourceUnavailableError(`token-service answered ${res.status}`);
    }
    const body = (await res.json().catch(() => null)) as { revoked?: unknown } | null;
    return { revoked: body?.revoked === true };
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
