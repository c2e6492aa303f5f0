import type { RouteHandler } from '../http/http-io';
import { discardBody, send } from '../http/http-io';
import { AuthzCore, decisionHeaders, pathOf, statusFor } from './authz.core';

export const ENVOY_PREFIX = '/v1/authz/envoy';

/**
 * Envoy ext_authz, HTTP service (`http_service.path_prefix: /v1/authz/envoy`): Envoy sends the original method and
 * path (after the prefix) and headers. 200 allows (Envoy copies the X-Latchkey-* headers listed in
 * `allowed_upstream_headers` upstream); any other status denies and is returned to the client with its body.
 */
export function envoyAuthzHandler(core: AuthzCore): RouteHandler {
  return (req, res) => {
    discardBody(req);
    if (!core.authenticateProxy(req, res)) return;
    const method = req.method ?? 'GET';
    const path = pathOf((req.url ?? '').slice(ENVOY_PREFIX.length)) || '/';
    if (!core.checkRequest(res, method, path)) return;
    void core.decide(req, res, method, path, 'envoy').then((d) => {
      if (!d) return;
      const status = statusFor(d.code, 200);
      const body = status === 200 ? null : JSON.stringify({ code: d.code });
      send(res, status, body, { ...(body ? { 'content-type': 'application/json' } : {}), ...decisionHeaders(d) });
    });
  };
}
