import type { RouteHandler } from '../http/http-io';
import { discardBody, firstHeader, send } from '../http/http-io';
import { AuthzCore, decisionHeaders, pathOf, statusFor } from './authz.core';

export const NGINX_PATH = '/v1/authz/nginx';

/**
 * nginx `auth_request`: reads Authorization, X-Original-Method, X-Original-URI and (from a trusted proxy) X-Real-IP.
 * 204 with X-Latchkey-User / -Token-Id / -Scopes when allowed; 401 with WWW-Authenticate: Bearer when no credential
 * was identified; 403 when refused; 503 when the replica cannot answer (nginx then fails the request: closed).
 */
export function nginxAuthzHandler(core: AuthzCore): RouteHandler {
  return (req, res) => {
    discardBody(req);
    if (!core.authenticateProxy(req, res)) return;
    const method = firstHeader(req.headers['x-original-method']) ?? 'GET';
    const path = pathOf(firstHeader(req.headers['x-original-uri']) ?? '/');
    if (!core.checkRequest(res, method, path)) return;
    void core.decide(req, res, method, path, 'nginx').then((d) => {
      if (d) send(res, statusFor(d.code, 204), null, decisionHeaders(d));
    });
  };
}
