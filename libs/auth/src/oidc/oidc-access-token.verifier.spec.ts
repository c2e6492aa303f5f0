import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWTPayload, KeyLike, SignJWT } from 'jose';
import { DomainError } from '@latchkey/contracts';
import { looksLikeJwt, OidcAccessTokenVerifier, OidcVerifierOptions } from './oidc-access-token.verifier';

describe(OidcAccessTokenVerifier.name, () => {
  let server: Server;
  let issuer: string;
  let key: KeyLike;
  let otherKey: KeyLike;
  let jwksRequests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    ({ privateKey: otherKey } = await generateKeyPair('RS256'));
    const publicJwk = { ...(await exportJWK((await generateKeyPair('RS256')).publicKey)), kid: 'unused' };
    const publicKey = pair.publicKey;
    const jwks = { keys: [publicJwk, { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    server = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (req.url === '/jwks') {
        jwksRequests++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const options = (over: Partial<OidcVerifierOptions> = {}): OidcVerifierOptions => ({
    issuer,
    audience: 'latchkey',
    userClaim: 'preferred_username',
    groupsClaim: 'groups',
    adminGroup: 'latchkey-admins',
    clockToleranceSeconds: 30,
    ...over,
  });

  async function sign(claims: JWTPayload, { signer = key, kid = 'k1', expiresIn = '5m' as string | number, alg = 'RS256' } = {}): Promise<string> {
    return new SignJWT({ iss: issuer, aud: 'latchkey', sub: 'user-123', preferred_username: 'alice', groups: ['jira-users'], ...claims })
      .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(signer);
  }

  it('accepts a valid access token and maps user, groups and scopes', async () => {
    const result = await new OidcAccessTokenVerifier(options()).verify(await sign({}));
    expect(result).toMatchObject({
      ok: true,
      principal: { userId: 'alice', via: 'oidc', groups: ['jira-users'], scopes: ['read', 'write'], isAdmin: false },
    });
  });

  it('makes members of the admin group administrators with the admin scope', async () => {
    const result = await new OidcAccessTokenVerifier(options()).verify(await sign({ preferred_username: 'admin', groups: ['latchkey-admins'] }));
    expect(result).toMatchObject({ ok: true, principal: { userId: 'admin', scopes: ['read', 'write', 'admin'], isAdmin: true } });
  });

  it('reads the configured claims: another user claim, a nested groups claim, a single-string group', async () => {
    const verifier = new OidcAccessTokenVerifier(options({ userClaim: 'email', groupsClaim: 'realm_access.roles', adminGroup: 'ops' }));
    const result = await verifier.verify(await sign({ email: 'a@example.com', realm_access: { roles: ['ops', 7] } }));
    expect(result).toMatchObject({ ok: true, principal: { userId: 'a@example.com', groups: ['ops'], isAdmin: true } });
    const single = await new OidcAccessTokenVerifier(options()).verify(await sign({ groups: 'latchkey-admins' }));
    expect(single).toMatchObject({ ok: true, principal: { groups: ['latchkey-admins'], isAdmin: true } });
  });

  it('falls back to sub when the user claim is absent', async () => {
    const result = await new OidcAccessTokenVerifier(options()).verify(await sign({ preferred_username: undefined, groups: undefined }));
    expect(result).toMatchObject({ ok: true, principal: { userId: 'user-123', groups: [] } });
  });

  it('accepts the clock tolerance past expiry, and rejects beyond it as EXPIRED', async () => {
    const token = await sign({}, { expiresIn: Math.floor(Date.now() / 1000) + 60 });
    const at = (seconds: number) => new OidcAccessTokenVerifier(options({ now: () => new Date(Date.now() + seconds * 1000) }));
    expect((await at(80).verify(token)).ok).toBe(true);
    expect(await at(100).verify(token)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it.each([
    ['another audience', { aud: 'other-api' }, 'k1', false, 'WRONG_AUDIENCE'],
    ['another issuer', { iss: 'http://evil.example' }, 'k1', false, 'WRONG_ISSUER'],
    ['a key not in the JWKS', {}, 'k1', true, 'BAD_SIGNATURE'],
    ['an unknown key id', {}, 'nope', true, 'BAD_SIGNATURE'],
  ])('rejects a token with %s', async (_what, claims, kid, otherSigner, reason) => {
    const token = await sign(claims, { kid, signer: otherSigner ? otherKey : key });
    expect(await new OidcAccessTokenVerifier(options()).verify(token)).toEqual({ ok: false, reason });
  });

  it('rejects a tampered payload', async () => {
    const [h, , s] = (await sign({})).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: issuer, aud: 'latchkey', sub: 'x', preferred_username: 'admin', groups: ['latchkey-admins'], exp: 9999999999 })).toString('base64url');
    expect(await new OidcAccessTokenVerifier(options()).verify(`${h}.${forged}.${s}`)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects unsigned (alg none) and HMAC tokens', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: issuer, aud: 'latchkey', sub: 'x', exp: 9999999999 })).toString('base64url')}.x`;
    expect((await new OidcAccessTokenVerifier(options()).verify(none)).ok).toBe(false);
    const hmac = await new SignJWT({ iss: issuer, aud: 'latchkey', sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await new OidcAccessTokenVerifier(options()).verify(hmac)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects non-JWT bearers without fetching keys', async () => {
    const before = jwksRequests;
    const verifier = new OidcAccessTokenVerifier(options());
    for (const bearer of ['lk_abc', '', 'a.b', 'eyJ.eyJ', 'eyJhbGciOiJSUzI1NiJ9.eyJ9.!!']) {
      expect(await verifier.verify(bearer)).toEqual({ ok: false, reason: 'MALFORMED' });
    }
    expect(jwksRequests).toBe(before);
    expect(looksLikeJwt(await sign({}))).toBe(true);
  });

  it('throws DEPENDENCY_UNAVAILABLE on every call while the issuer cannot be reached', async () => {
    const verifier = new OidcAccessTokenVerifier(options({ issuer: 'http://127.0.0.1:1' }));
    await expect(verifier.verify(await sign({ iss: 'http://127.0.0.1:1' }))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    await expect(verifier.verify(await sign({ iss: 'http://127.0.0.1:1' }))).rejects.toBeInstanceOf(DomainError);
  });

  it('refuses a discovery document for another issuer', async () => {
    const verifier = new OidcAccessTokenVerifier(options({ issuer: `${issuer}/` }));
    await expect(verifier.verify(await sign({ iss: `${issuer}/` }))).rejects.toThrow(/does not match/);
  });
});
