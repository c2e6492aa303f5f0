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
});
