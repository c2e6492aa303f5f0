import type { FastPathHandler, ReadinessRegistry } from '@latchkey/service-kit';
import type { TokenRevoker } from '../cache/token-read-model.port';
import type { ValidationServiceConfig } from '../config/validation-service.config';
import type { ValidationService } from '../decision/validation.service';
import { AuthzCore } from './authz/authz.core';
import { ENVOY_PREFIX, envoyAuthzHandler } from './authz/envoy-authz.handler';
import { NGINX_PATH, nginxAuthzHandler } from './authz/nginx-authz.handler';
import { ClientAuthenticator } from './client-auth';
import { ClientIpResolver } from './http/client-ip';
import type { RouteHandler } from './http/http-io';
import { readinessHandler } from './http/readiness.handler';
import type { ValidateJsonHandler } from './json/validate-json.handler';
import { createValidateFastPath } from './json/validate.fast-path';
import { INTROSPECT_PATH, introspectionHandler } from './oauth2/introspection.handler';
import { REVOKE_PATH, revocationHandler } from './oauth2/revocation.handler';

export interface HotPathDependencies {
  config: ValidationServiceConfig;
  json: ValidateJsonHandler;
  validation: ValidationService;
  revoker: TokenRevoker;
  readiness: ReadinessRegistry;
}

/**
 * Every route a resource server calls, on plain node:http before Express and Nest (issue 4: a Nest route costs
 * 2-3x the throughput). Management routes (/docs, /metrics, /health/live) stay with Nest.
 */
export function createHotPath(deps: HotPathDependencies): FastPathHandler {
  const clients = new ClientAuthenticator(deps.config.LATCHKEY_CLIENTS);
  const core = new AuthzCore(deps.validation, clients, new ClientIpResolver(deps.config.LATCHKEY_TRUSTED_PROXIES));
  const json = createValidateFastPath(deps.json);
  const routes = new Map<string, RouteHandler>([
    [NGINX_PATH, nginxAuthzHandler(core)],
    [INTROSPECT_PATH, introspectionHandler(deps.validation, clients)],
    [REVOKE_PATH, revocationHandler(deps.revoker, deps.config.LATCHKEY_PEPPER, deps.config.LATCHKEY_TOKEN_PREFIX)(clients)],
    ['/health/ready', readinessHandler(deps.readiness)],
  ]);
  const envoy = envoyAuthzHandler(core);
  return (req, res) => {
    if (json(req, res)) return true;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = routes.get(path);
    if (route) {
      route(req, res);
      return true;
    }
    if (path === ENVOY_PREFIX || url.startsWith(`${ENVOY_PREFIX}/`)) {
      envoy(req, res);
      return true;
    }
    return false;
  };
}
