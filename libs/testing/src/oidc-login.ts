import { generators, Issuer } from 'openid-client';

/** The clients dev-idp registers (apps/dev-idp/src/oidc/provider.factory.ts). */
export const DEV_IDP_CLIENTS = {
  cli: { clientId: 'latchkey-cli', redirectUri: 'http://127.0.0.1:8765/callback' },
  service: { clientId: 'latchkey-service', clientSecret: 'dev-service-secret' },
} as const;

/** dev-idp's resource indicators: Latchkey's APIs (aud = latchkey), and another API for negative tests. */
export const DEV_IDP_RESOURCES = { latchkey: 'urn:latchkey', otherApi: 'urn:latchkey:test:other-api' } as const;

export interface OidcLoginOptions {
  /** the issuer URL, e.g. a dev-idp ServiceProcess's baseUrl */
  issuer: string;
  /** a dev-idp user name: admin, alice, bob, carol, svc-ci */
  user: string;
  /** default: the user name (dev-idp's demo rule) */
  password?: string;
  clientId?: string;
  /** must be registered for the client; any loopback port works for latchkey-cli */
  redirectUri?: string;
  scope?: string;
  /** a resource indicator (RFC 8707); dev-idp defaults to urn:latchkey */
  resource?: string;
}

export interface OidcTokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresAt?: number;
}

/**
 * Signs a user in at an OIDC provider the way the CLI would, without a browser: a real authorization-code
 * flow with PKCE (openid-client), following the redirects and submitting dev-idp's login form with fetch.
 */
export async function oidcLogin(options: OidcLoginOptions): Promise<OidcTokens> {
  const clientId = options.clientId ?? DEV_IDP_CLIENTS.cli.clientId;
  const redirectUri = options.redirectUri ?? DEV_IDP_CLIENTS.cli.redirectUri;
  const issuer = await Issuer.discover(options.issuer);
  const client = new issuer.Client({ client_id: clientId, token_endpoint_auth_method: 'none', redirect_uris: [redirectUri], response_types: ['code'] });
  const codeVerifier = generators.codeVerifier();
  const state = generators.state();
  const nonce = generators.nonce();
  const authorizationUrl = client.authorizationUrl({
    scope: options.scope ?? 'openid profile groups',
    redirect_uri: redirectUri,
    code_challenge: generators.codeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(options.resource ? { resource: options.resource } : {}),
  });

  const browser = new CookieBrowser();
  let res = await browser.get(authorizationUrl);
  let callbackUrl: string | undefined;
  let submitted = false;
  for (let hop = 0; hop < 10 && !callbackUrl; hop++) {
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, res.url || authorizationUrl).toString();
      if (next.startsWith(redirectUri)) callbackUrl = next;
      else res = await browser.get(next);
      continue;
    }
    if (res.status !== 200 || submitted) throw new Error(`sign-in of ${options.user} failed: ${res.status} at ${new URL(res.url).pathname}`);
    // the login page: post user name and password to its form
    const html = await res.text();
    const action = /<form id="login" method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no login form at ${new URL(res.url).pathname}`);
    res = await browser.post(new URL(action.replace(/&amp;/g, '&'), res.url).toString(), { username: options.user, password: options.password ?? options.user });
    submitted = true;
  }
  if (!callbackUrl) throw new Error(`sign-in of ${options.user} did not come back to ${redirectUri}`);
  const params = client.callbackParams(callbackUrl);
  if (params.error) throw new Error(`sign-in of ${options.user} failed: ${params.error} ${params.error_description ?? ''}`.trim());
  const tokens = await client.callback(redirectUri, params, { code_verifier: codeVerifier, state, nonce, response_type: 'code' });
  if (!tokens.access_token || !tokens.id_token) throw new Error('the token response lacks an access or ID token');
  return { accessToken: tokens.access_token, idToken: tokens.id_token, refreshToken: tokens.refresh_token, expiresAt: tokens.expires_at };
}

export interface OidcClientCredentialsOptions {
  issuer: string;
  clientId?: string;
  clientSecret?: string;
  resource?: string;
}

/** An access token for a service client (client_credentials grant): sub and preferred_username = the client id, no groups. */
export async function oidcClientCredentials(options: OidcClientCredentialsOptions): Promise<{ accessToken: string }> {
  const issuer = await Issuer.discover(options.issuer);
  const client = new issuer.Client({
    client_id: options.clientId ?? DEV_IDP_CLIENTS.service.clientId,
    client_secret: options.clientSecret ?? DEV_IDP_CLIENTS.service.clientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
  });
  const tokens = await client.grant({ grant_type: 'client_credentials', ...(options.resource ? { resource: options.resource } : {}) });
  if (!tokens.access_token) throw new Error('the token response lacks an access token');
  return { accessToken: tokens.access_token };
}

/** Just enough of a browser: manual redirects and a cookie jar (one host, paths ignored). */
class CookieBrowser {
  private readonly jar = new Map<string, string>();

  get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  post(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (expired) this.jar.delete(name);
      else this.jar.set(name, pair.slice(eq + 1).trim());
    }
    return res;
  }
}
