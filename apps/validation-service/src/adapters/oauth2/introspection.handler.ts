import { Logger } from '@nestjs/common';
import type { ValidateResponse } from '@latchkey/contracts';
import { SourceUnavailableError } from '../../cache/token-read-model.port';
import { parseIp } from '../../decision/domain';
import { StaleReplicaError, ValidationService } from '../../decision/validation.service';
import type { ClientAuthenticator } from '../client-auth';
import { RouteHandler, sendJson } from '../http/http-io';
import { oauthError, readOAuthRequest } from './oauth2-request';

export const INTROSPECT_PATH = '/oauth2/introspect';
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

/** RFC 7662 §2.2 answer for an active token (times in seconds since the epoch). */
export interface IntrospectionResponse {
  active: true;
  scope: string;
  token_type: 'Bearer';
  sub: string;
  username: string;
  jti: string;
  iat?: number;
  exp?: number;
}

const seconds = (iso: string | null): number | undefined => (iso === null ? undefined : Math.floor(Date.parse(iso) / 1000));

export function toIntrospection(d: ValidateResponse, createdAt: string | null): IntrospectionResponse | { active: false } {
  if (d.code !== 'VALID' || d.userId === null || d.tokenId === null) return { active: false };
  const iat = seconds(createdAt);
  const exp = seconds(d.expiresAt);
  return {
    active: true,
    scope: d.scopes.join(' '),
    token_type: 'Bearer',
    sub: d.userId,
    username: d.userId,
    jti: d.tokenId,
    ...(iat !== undefined ? { iat } : {}),
    ...(exp !== undefined ? { exp } : {}),
  };
}

/**
 * `POST /oauth2/introspect` (RFC 7662). Active only when the token would be VALID. Optional extension parameters
 * `method`, `path` and `ip` describe the request being authorised; without `ip`, a token restricted to IP ranges
 * (or any token, once a global allowlist is set) is inactive: fail closed. An inactive token answers only
 * `{"active":false}`, whatever the reason.
 */
export function introspectionHandler(validation: ValidationService, clients: ClientAuthenticator): RouteHandler {
  const logger = new Logger('Introspection');
  return (req, res) =>
    readOAuthRequest(req, res, clients, (_clientId, form) => {
      const method = (form.get('method') ?? 'GET').toUpperCase();
      const ip = form.get('ip') ?? '';
      const path = form.get('path') ?? '/';
      if (!METHOD.test(method)) return oauthError(res, 400, 'invalid_request', 'method must be an HTTP method name');
      if (ip !== '' && !parseIp(ip)) return oauthError(res, 400, 'invalid_request', 'ip must be an IPv4 or IPv6 address');
      if (path.length > 8192) return oauthError(res, 400, 'invalid_request', 'path is too long');
      const token = form.get('token') ?? '';
      validation.validateWithState({ token, method, path, ip }, 'introspect').then(
        ({ response, createdAt }) => sendJson(res, 200, toIntrospection(response, createdAt)),
        (err: unknown) => {
          if (err instanceof SourceUnavailableError || err instanceof StaleReplicaError) {
            return oauthError(res, 503, 'temporarily_unavailable', 'the token cannot be checked right now', { 'retry-after': '1' });
          }
          logger.error(`introspect: ${err instanceof Error ? err.message : String(err)}`);
          oauthError(res, 500, 'server_error', 'unexpected error');
        },
      );
    });
}
