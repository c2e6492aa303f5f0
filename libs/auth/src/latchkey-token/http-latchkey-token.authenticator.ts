import { CommonErrorCodes, DomainError, INTERNAL_SECRET_HEADER, TOKEN_LOOKUP_PATH, TokenLookupResult } from '@latchkey/contracts';
import { DEFAULT_TOKEN_PREFIX, hashToken, parseToken } from '@latchkey/token-format';
import { latchkeyTokenPrincipal, Principal } from '../principal';
import { LatchkeyTokenAuthenticator } from './latchkey-token.authenticator';
import { acceptPresentedToken } from './token-acceptance';

export interface HttpLatchkeyTokenAuthenticatorOptions {
  /** token-service, e.g. http://127.0.0.1:3001 */
  baseUrl: string;
  /** LATCHKEY_INTERNAL_SECRET */
  internalSecret: string;
  /** LATCHKEY_PEPPER: the HMAC key token-service stores hashes with */
  pepper: string;
  /** LATCHKEY_TOKEN_PREFIX, default lk_ */
  tokenPrefix?: string;
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Authenticates Latchkey tokens through token-service's internal lookup (`POST /internal/v1/tokens/lookup`,
 * HMAC in the body, never in a URL), with the same acceptance rules token-service applies itself.
 */
export class HttpLatchkeyTokenAuthenticator implements LatchkeyTokenAuthenticator {
  private readonly url: string;

  constructor(private readonly options: HttpLatchkeyTokenAuthenticatorOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}${TOKEN_LOOKUP_PATH}`;
  }

  async authenticate(bearer: string): Promise<Principal | null> {
    // malformed or bad-checksum strings never reach the network
    const parsed = parseToken(bearer, this.options.tokenPrefix ?? DEFAULT_TOKEN_PREFIX);
    if (!parsed.ok) return null;
    const found = await this.lookup(hashToken(this.options.pepper, parsed.token));
    if (!found) return null;
    const acceptance = acceptPresentedToken(found, this.options.now?.() ?? new Date());
    return acceptance.ok ? latchkeyTokenPrincipal(found.token) : null;
  }

  private async lookup(secretHash: string): Promise<TokenLookupResult | null> {
    const timeoutMs = this.options.timeoutMs ?? 2000;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { [INTERNAL_SECRET_HEADER]: this.options.internalSecret, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ secretHash }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `timeout after ${timeoutMs} ms` : 'unreachable';
      throw new DomainError(CommonErrorCodes.unavailable, `token-service ${reason}`);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new DomainError(CommonErrorCodes.unavailable, `token-service answered ${res.status}`);
    }
    const body = (await res.json().catch(() => null)) as Partial<TokenLookupResult> | null;
    if (!body || typeof body.secretGeneration !== 'number' || typeof body.token?.id !== 'string') {
      throw new DomainError(CommonErrorCodes.unavailable, 'token-service answered an unexpected body');
    }
    return body as TokenLookupResult;
  }
}

/** The settings a service outside token-service needs to check Latchkey tokens against it. */
export interface RemoteTokenSettings {
  TOKEN_SERVICE_URL: string;
  LATCHKEY_INTERNAL_SECRET: string;
  LATCHKEY_PEPPER: string;
  LATCHKEY_TOKEN_PREFIX: string;
}

/** Latchkey tokens presented to a management API, looked up (by HMAC) on token-service. */
export function httpLatchkeyTokens(config: RemoteTokenSettings): { useFactory: () => HttpLatchkeyTokenAuthenticator } {
  return {
    useFactory: () =>
      new HttpLatchkeyTokenAuthenticator({
        baseUrl: config.TOKEN_SERVICE_URL,
        internalSecret: config.LATCHKEY_INTERNAL_SECRET,
        pepper: config.LATCHKEY_PEPPER,
        tokenPrefix: config.LATCHKEY_TOKEN_PREFIX,
      }),
  };
}
