import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { DecisionChannel, DecisionCode, ValidateResponse } from '@latchkey/contracts';
import { problem } from '@latchkey/service-kit';
import { SourceUnavailableError } from '../../cache/token-read-model.port';
import { StaleReplicaError, ValidationService } from '../../decision/validation.service';
import { ClientAuthenticator } from '../client-auth';
import { ClientIpResolver } from '../http/client-ip';
import { firstHeader, headerValue, sendJson } from '../http/http-io';

/** Header a proxy uses to authenticate itself (its own Authorization header carries the user's token). */
export const CLIENT_HEADER = 'x-latchkey-client';
export const BEARER_CHALLENGE = 'Bearer realm="latchkey"';
// RFC 9110 token characters
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;
const MAX_PATH = 8192;

/** Answers that identify no credential: authenticate (again). Everything else refused is a 403. */
const UNAUTHENTICATED: ReadonlySet<DecisionCode> = new Set(['NO_CREDENTIALS', 'MALFORMED', 'NOT_FOUND']);

export function isAllowed(code: DecisionCode): boolean {
  return code === 'VALID' || code === 'PASSWORD';
}

/** 204/200 for an allowed request, 401 when no credential was identified, 403 otherwise. */
export function statusFor(code: DecisionCode, allowed: number): number {
  if (isAllowed(code)) return allowed;
  return UNAUTHENTICATED.has(code) ? 401 : 403;
}

/** The headers a proxy forwards upstream (and the code, for its logs). Values are made header-safe. */
export function decisionHeaders(d: ValidateResponse): Record<string, string> {
  const h: Record<string, string> = { 'x-latchkey-code': d.code };
  if (isAllowed(d.code)) {
    if (d.userId !== null) h['x-latchkey-user'] = headerValue(d.userId);
    if (d.tokenId !== null) h['x-latchkey-token-id'] = d.tokenId;
    if (d.scopes.length > 0) h['x-latchkey-scopes'] = d.scopes.join(' ');
  } else if (statusFor(d.code, 200) === 401) {
    h['www-authenticate'] = d.code === 'NO_CREDENTIALS' ? BEARER_CHALLENGE : `${BEARER_CHALLENGE}, error="invalid_token"`;
  }
  return h;
}

/**
 * What the proxy adapters (nginx auth_request, Envoy ext_authz) share: client authentication by X-Latchkey-Client,
 * the client IP through trusted proxies only, request checks, validation, and the mapping of failures to 503.
 */
export class AuthzCore {
  private readonly logger = new Logger('Authz');

  constructor(
    readonly validation: ValidationService,
    readonly clients: ClientAuthenticator,
    readonly ips: ClientIpResolver,
  ) {}

  /** false (and answered 401) when the proxy is not a registered client */
  authenticateProxy(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.clients.authenticate(firstHeader(req.headers[CLIENT_HEADER])) !== null) return true;
    sendJson(res, 401, problem(401, `authenticate the proxy as a registered client: ${CLIENT_HEADER}: Basic base64(clientId:clientSecret)`), {
      'www-authenticate': 'Basic realm="latchkey-validation"',
    });
    return false;
  }

  /** A checked method and path, or null (and answered 400). */
  checkRequest(res: ServerResponse, method: string, path: string): boolean {
    if (!METHOD.test(method)) {
      sendJson(res, 400, problem(400, 'the original method is not an HTTP method name'));
      return false;
    }
    if (path.length === 0 || path.length > MAX_PATH) {
      sendJson(res, 400, problem(400, `the original path must be 1-${MAX_PATH} characters`));
      return false;
    }
    return true;
  }

  /** Validates, or answers 503 itself (stale in deny mode, or source needed and down) and resolves null. */
  async decide(req: IncomingMessage, res: ServerResponse, method: string, path: string, channel: DecisionChannel): Promise<ValidateResponse | null> {
    const ip = this.ips.resolve(req.socket.remoteAddress, req.headers);
    const authorization = firstHeader(req.headers.authorization);
    const userAgent = firstHeader(req.headers['user-agent']);
    try {
      return await this.validation.validate(
        {
          ...(authorization !== undefined ? { authorization } : {}),
          method: method.toUpperCase(),
          path,
          ip,
          ...(userAgent !== undefined ? { userAgent: userAgent.slice(0, 1024) } : {}),
        },
        channel,
      );
    } catch (err) {
      const known = err instanceof SourceUnavailableError || err instanceof StaleReplicaError;
      if (!known) this.logger.error(`${channel}: ${err instanceof Error ? err.message : String(err)}`);
      const detail = err instanceof StaleReplicaError ? err.message : 'the token cannot be checked right now; retry later';
      sendJson(res, known ? 503 : 500, problem(known ? 503 : 500, known ? detail : 'unexpected error'), { 'retry-after': '1' });
      return null;
    }
  }
}

/** The path part of a request target (no query string). */
export function pathOf(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}
