import { decodeJwt, decodeProtectedHeader } from 'jose';
import { OidcAccessTokenVerifier, OidcVerifierOptions } from '@latchkey/auth';
import { DEV_IDP_RESOURCES, oidcClientCredentials, oidcLogin, ServiceProcess } from '@latchkey/testing';

/** dev-idp is a real OIDC provider; libs/auth's verifier accepts what it issues and nothing forged or misdirected. */
describe('OIDC sign-in through dev-idp', () => {
  const port = 4090 + (process.pid % 400) * 3;
  const idp = new ServiceProcess({ app: 'dev-idp', port, env: { LOG_LEVEL: 'debug' }, label: `dev-idp-${port}` });
  const issuer = idp.baseUrl;
  const verifierOptions = (over: Partial<OidcVerifierOptions> = {}): OidcVerifierOptions => ({
    issuer,
    audience: 'latchkey',
    userClaim: 'preferred_username',
    groupsClaim: 'groups',
    adminGroup: 'latchkey-admins',
    clockToleranceSeconds: 30,
    ...over,
  });

  beforeAll(() => idp.start(), 60_000);
  afterAll(() => idp.stop());

  it('publishes discovery, a JWKS and health', async () => {
    const discovery = (await (await idp.fetch('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer, code_challenge_methods_supported: ['S256'] });
    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect((await idp.fetch('/health/live')).status).toBe(200);
  });

  it('signs alice in with the authorization-code flow and PKCE; her access token is a JWT for latchkey with her groups', async () => {
    const { accessToken, idToken } = await oidcLogin({ issuer, user: 'alice' });
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(decodeJwt(accessToken)).toMatchObject({ iss: issuer, aud: 'latchkey', sub: 'alice', preferred_username: 'alice', groups: ['jira-users'], client_id: 'latchkey-cli' });
    expect(decodeJwt(idToken)).toMatchObject({ iss: issuer, aud: 'latchkey-cli', sub: 'alice', groups: ['jira-users'] });
    const result = await new OidcAccessTokenVerifier(verifierOptions()).verify(accessToken);
    expect(result).toMatchObject({ ok: true, principal: { userId: 'alice', via: 'oidc', groups: ['jira-users'], scopes: ['read', 'write'], isAdmin: false } });
  });

  it('makes admin an administrator through the latchkey-admins group', async () => {
    const { accessToken } = await oidcLogin({ issuer, user: 'admin' });
    const result = await new OidcAccessTokenVerifier(verifierOptions()).verify(accessToken);
    expect(result).toMatchObject({ ok: true, principal: { userId: 'admin', isAdmin: true, scopes: ['read', 'write', 'admin'], groups: ['latchkey-admins', 'jira-users'] } });
  });

  it('accepts any loopback port for the CLI', async () => {
    const { accessToken } = await oidcLogin({ issuer, user: 'carol', redirectUri: 'http://127.0.0.1:51234/callback' });
    expect(decodeJwt(accessToken)).toMatchObject({ preferred_username: 'carol', groups: [] });
  });

  it('refuses a wrong password', async () => {
    await expect(oidcLogin({ issuer, user: 'alice', password: 'bob' })).rejects.toThrow(/sign-in of alice failed: 401/);
  });

  it('rejects a tampered token', async () => {
    const { accessToken } = await oidcLogin({ issuer, user: 'alice' });
    const [header, payload, signature] = accessToken.split('.');
    const claims = { ...decodeJwt(accessToken), groups: ['latchkey-admins'] };
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect(payload).not.toBe(forged.split('.')[1]);
    expect(await new OidcAccessTokenVerifier(verifierOptions()).verify(forged)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects a token issued for another audience, and the ID token', async () => {
    const other = await oidcLogin({ issuer, user: 'alice', resource: DEV_IDP_RESOURCES.otherApi });
    expect(decodeJwt(other.accessToken).aud).toBe('other-api');
    const verifier = new OidcAccessTokenVerifier(verifierOptions());
    expect(await verifier.verify(other.accessToken)).toEqual({ ok: false, reason: 'WRONG_AUDIENCE' });
    expect(await verifier.verify(other.idToken)).toEqual({ ok: false, reason: 'WRONG_AUDIENCE' });
  });

  it('rejects an expired token once the clock tolerance has passed', async () => {
    const { accessToken } = await oidcLogin({ issuer, user: 'alice' });
    const exp = decodeJwt(accessToken).exp!;
    const at = (seconds: number) => new OidcAccessTokenVerifier(verifierOptions({ now: () => new Date((exp + seconds) * 1000) }));
    expect((await at(29).verify(accessToken)).ok).toBe(true);
    expect(await at(31).verify(accessToken)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('rejects a token from another issuer', async () => {
    const { accessToken } = await oidcLogin({ issuer, user: 'alice' });
    const verifier = new OidcAccessTokenVerifier(verifierOptions({ issuer: 'http://127.0.0.1:1', jwksUri: `${issuer}/jwks` }));
    expect(await verifier.verify(accessToken)).toEqual({ ok: false, reason: 'WRONG_ISSUER' });
  });

  it('issues service tokens with the client_credentials grant', async () => {
    const { accessToken } = await oidcClientCredentials({ issuer });
    expect(decodeJwt(accessToken)).toMatchObject({ iss: issuer, aud: 'latchkey', sub: 'latchkey-service', preferred_username: 'latchkey-service', groups: [] });
    const result = await new OidcAccessTokenVerifier(verifierOptions()).verify(accessToken);
    expect(result).toMatchObject({ ok: true, principal: { userId: 'latchkey-service', isAdmin: false } });
  });

  it('logs JSON lines without tokens or passwords', async () => {
    const { accessToken } = await oidcLogin({ issuer, user: 'bob' });
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(idp.logFile, 'utf8').trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const log = lines.join('\n');
    expect(log).not.toContain(accessToken.split('.')[2]);
    expect(log).not.toMatch(/password/i);
  });
});
