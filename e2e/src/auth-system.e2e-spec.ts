import { oidcLogin, startSystem, System } from '@latchkey/testing';

/** startSystem({ idp: true }): dev-idp is the issuer the services trust, so its users reach the management API. */
describe('a system with dev-idp as its OIDC issuer', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem({ idp: true });
  }, 120_000);
  afterAll(() => system?.stop());

  const get = async (path: string, bearer: string) => (await system.token.fetch(path, { headers: { authorization: `Bearer ${bearer}` } })).status;

  it('lets alice list her own tokens but not reach the token manager; admin reaches both', async () => {
    const issuer = system.idp!.baseUrl;
    expect(system.env.LATCHKEY_OIDC_ISSUER).toBe(issuer);
    const alice = await oidcLogin({ issuer, user: 'alice' });
    const admin = await oidcLogin({ issuer, user: 'admin' });
    expect(await get('/v1/tokens', alice.accessToken)).toBe(200);
    expect(await get('/v1/admin/tokens', alice.accessToken)).toBe(403);
    expect(await get('/v1/admin/tokens', admin.accessToken)).toBe(200);
    expect(await get('/v1/tokens', alice.idToken)).toBe(401);
  });

  it('lets an SSO user create tokens for themselves only, and an SSO admin on behalf of others', async () => {
    const issuer = system.idp!.baseUrl;
    const alice = await oidcLogin({ issuer, user: 'alice' });
    const admin = await oidcLogin({ issuer, user: 'admin' });
    const create = async (bearer: string, body: Record<string, unknown>) => {
      const res = await system.token.fetch('/v1/tokens', { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { token?: { ownerId: string; createdBy: string }; secret?: string } };
    };
    const own = await create(alice.accessToken, { name: 'from sso', scopes: ['read'], expiresInDays: 1 });
    expect(own.status).toBe(201);
    expect(own.body.token).toMatchObject({ ownerId: 'alice', createdBy: 'alice' });
    expect((await create(alice.accessToken, { name: 'for bob', scopes: ['read'], ownerId: 'bob' })).status).toBe(403);
    expect((await create(alice.accessToken, { name: 'too strong', scopes: ['admin'] })).status).toBe(403);
    const onBehalf = await create(admin.accessToken, { name: 'for bob', scopes: ['read'], ownerId: 'bob' });
    expect(onBehalf.body.token).toMatchObject({ ownerId: 'bob', createdBy: 'admin' });
    // the Latchkey token alice just made works for her own calls too
    expect(await get('/v1/tokens', own.body.secret as string)).toBe(200);
    const [header, payload, signature] = alice.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), groups: ['latchkey-admins'] })).toString('base64url');
    expect(await get('/v1/admin/tokens', `${header}.${forged}.${signature}`)).toBe(401);
  });
});
