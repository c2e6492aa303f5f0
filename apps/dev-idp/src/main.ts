import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { loadDevIdpConfig } from './config/dev-idp.config';
import { handleInteraction } from './interaction/interaction.routes';
import { createProvider } from './oidc/provider.factory';
import { DevUserDirectory } from './users/dev-users';

/**
 * dev-idp: a real OIDC provider (oidc-provider) with demo users and groups, for the local default and the
 * tests only. Discovery at /.well-known/openid-configuration; health at /health/live and /health/ready.
 */
async function main(): Promise<void> {
  const config = loadDevIdpConfig();
  // JSON lines; request URLs are logged without their query (authorization requests carry state and PKCE values)
  const log = pino({ name: 'dev-idp', level: config.LOG_LEVEL, base: { service: 'dev-idp' } });
  const users = new DevUserDirectory(config.users);
  const provider = createProvider(config, users);
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'introspection.error', 'revocation.error', 'end_session.error']) {
    provider.on(event, (...args: unknown[]) => {
      const err = args.find((a): a is Error & { error_description?: string } => a instanceof Error);
      log[event === 'server_error' ? 'error' : 'info']({ event, error: err?.name, description: err?.error_description ?? err?.message }, event);
    });
  }
  provider.on('grant.success', () => log.debug({ event: 'grant.success' }, 'tokens issued'));
  const oidc = provider.callback();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    res.on('finish', () => log.debug({ method: req.method, path, status: res.statusCode }, 'request'));
    if (path === '/health/live' || path === '/health/ready') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    handleInteraction(req, res, provider, users, log)
      .then((handled) => {
        if (!handled) oidc(req, res);
      })
      .catch((err: unknown) => {
        log.error({ event: 'interaction.error', error: err instanceof Error ? err.message : String(err) }, 'interaction failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('sign-in failed');
      });
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, resolve));
  log.info({ issuer: config.DEV_IDP_ISSUER, port: config.PORT, users: config.users.map((u) => u.userName) }, 'dev-idp listening');

  const stop = (signal: string) => {
    log.info({ signal }, 'stopping');
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'dev-idp', msg: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
