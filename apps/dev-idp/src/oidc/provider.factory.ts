import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider, { Account, Configuration, errors, interactionPolicy, OidcContext, TokenLike } from 'oidc-provider';
import type { DevIdpConfig } from '../config/dev-idp.config';
import { DevUserDirectory } from '../users/dev-users';
import { MemoryAdapter } from './memory.adapter';

/** The resource indicator of Latchkey's management APIs; its access tokens are JWTs with aud = latchkey. */
export const LATCHKEY_RESOURCE = 'urn:latchkey';
/** A second API, so tests can hold a valid token for another audience. */
export const OTHER_RESOURCE = 'urn:latchkey:test:other-api';

export const CLIENTS = { cli: 'latchkey-cli', adminUi: 'latchkey-admin-ui', service: 'latchkey-service' } as const;

const SCOPES = 'openid profile groups';

export function createProvider(config: DevIdpConfig, users: DevUserDirectory): Provider {
  const resourceServers: Record<string, { audience: string }> = {
    [LATCHKEY_RESOURCE]: { audience: 'latchkey' },
    [OTHER_RESOURCE]: { audience: 'other-api' },
  };

  const configuration: Configuration = {
    adapter: MemoryAdapter,
    clients: [
      {
        // the CLI: public, PKCE; any port on the loopback addresses (native app rules, RFC 8252)
        client_id: CLIENTS.cli,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback', 'http://127.0.0.1:8765/callback'],
      },
      {
        client_id: CLIENTS.adminUi,
        client_secret: config.DEV_IDP_ADMIN_UI_SECRET,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: config.adminUiRedirectUris,
      },
      {
        client_id: CLIENTS.service,
        client_secret: config.DEV_IDP_SERVICE_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    async findAccount(_ctx: OidcContext, sub: string): Promise<Account | undefined> {
      const user = users.find(sub);
      if (!user) return undefined;
      return { accountId: user.userName, claims: async () => users.claimsOf(user) };
    },
    scopes: ['openid', 'offline_access', 'profile', 'groups'],
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], groups: ['groups'] },
    // the ID token carries the profile and groups claims too (the admin UI reads them from there)
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => LATCHKEY_RESOURCE,
        // the token request may omit `resource`: the one granted at authorization is used
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: OidcContext, indicator: string) => {
          const server = resourceServers[indicator];
          if (!server) throw new errors.InvalidTarget();
          return {
            audience: server.audience,
            scope: SCOPES,
            accessTokenFormat: 'jwt',
            accessTokenTTL: config.DEV_IDP_ACCESS_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // consent is granted automatically: every client here is first-party
    async loadExistingGrant(ctx: OidcContext) {
      const { client, session, result } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
      for (const indicator of Object.keys(ctx.oidc.resourceServers ?? {})) grant.addResourceScope(indicator, SCOPES);
      await grant.save();
      return grant;
    },
    async extraTokenClaims(_ctx: OidcContext, token: TokenLike) {
      const user = token.accountId ? users.find(token.accountId) : undefined;
      if (user) return { preferred_username: user.userName, groups: [...user.groups] };
      // client_credentials: the client acts as itself
      return { preferred_username: token.clientId, groups: [] };
    },
    interactions: { policy: firstPartyPolicy(), url: (_ctx: OidcContext, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    jwks: config.DEV_IDP_JWKS ?? { keys: [generatedSigningKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clientBasedCORS: () => true,
    ttl: {
      AccessToken: config.DEV_IDP_ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: config.DEV_IDP_ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 86_400,
      Interaction: 3600,
      Session: 86_400,
      Grant: 86_400,
    },
  };
  return new Provider(config.DEV_IDP_ISSUER, configuration);
}

/** The default prompts, minus the consent that oidc-provider forces on native clients (the CLI): all clients here are first-party. */
function firstPartyPolicy(): ReturnType<typeof interactionPolicy.base> {
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('native_client_prompt');
  return policy;
}

/** A fresh RS256 key: tokens signed before a restart stop verifying, which is fine for a dev IdP. */
function generatedSigningKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
