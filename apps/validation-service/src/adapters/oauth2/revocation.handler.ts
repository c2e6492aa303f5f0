import { Logger } from '@nestjs/common';
import { hashToken, parseToken } from '@latchkey/token-format';
import { SourceUnavailableError, TokenRevoker } from '../../cache/token-read-model.port';
import type { ClientAuthenticator } from '../client-auth';
import { RouteHandler, send } from '../http/http-io';
import { oauthError, readOAuthRequest } from './oauth2-request';

export const REVOKE_PATH = '/oauth2/revoke';

/**
 * `POST /oauth2/revoke` (RFC 7009): revokes the token through token-service (which waits for the replicas'
 * acknowledgements). 200 whether or not the token existed (§2.2: an invalid token is not an error); a malformed
 * token never leaves this process. 503 when token-service cannot answer (§2.2.1).
 */
export function revocationHandler(revoker: TokenRevoker, pepper: string, prefix: string): (clients: ClientAuthenticator) => RouteHandler {
  const logger = new Logger('Revocation');
  return (clients) => (req, res) =>
    readOAuthRequest(req, res, clients, (clientId, form) => {
      const parsed = parseToken((form.get('token') ?? '').trim(), prefix);
      if (!parsed.ok) return send(res, 200, null);
      revoker.revokeByHash(hashToken(pepper, parsed.token), `revoked through RFC 7009 by client ${clientId}`).then(
        () => send(res, 200, null),
        (err: unknown) => {
          if (err instanceof SourceUnavailableError) {
            return oauthError(res, 503, 'temporarily_unavailable', 'revocation is unavailable right now; retry later', { 'retry-after': '1' });
          }
          logger.error(`revoke: ${err instanceof Error ? err.message : String(err)}`);
          oauthError(res, 500, 'server_error', 'unexpected error');
        },
      );
    });
}
