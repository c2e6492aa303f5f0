import { loadDevIdpConfig } from './dev-idp.config';

describe(loadDevIdpConfig.name, () => {
  it('defaults to port 3005, an issuer on it and the demo users', () => {
    const config = loadDevIdpConfig({});
    expect(config.PORT).toBe(3005);
    expect(config.DEV_IDP_ISSUER).toBe('http://127.0.0.1:3005');
    expect(config.users.map((u) => u.userName)).toEqual(['admin', 'alice', 'bob', 'carol', 'svc-ci']);
  });

  it('derives the issuer from PORT unless DEV_IDP_ISSUER is set', () => {
    expect(loadDevIdpConfig({ PORT: '4123' }).DEV_IDP_ISSUER).toBe('http://127.0.0.1:4123');
    expect(loadDevIdpConfig({ PORT: '4123', DEV_IDP_ISSUER: 'http://idp.local:8080/' }).DEV_IDP_ISSUER).toBe('http://idp.local:8080');
  });

  it('replaces the demo users with DEV_IDP_USERS', () => {
    const config = loadDevIdpConfig({ DEV_IDP_USERS: '[{"userName":"zed","groups":["latchkey-admins"]}]' });
    expect(config.users).toEqual([{ userName: 'zed', groups: ['latchkey-admins'] }]);
  });

  it.each([
    ['not JSON', '[', /DEV_IDP_USERS must be JSON/],
    ['a bad user name', '[{"userName":"a b"}]', /DEV_IDP_USERS: 0\.userName/],
    ['duplicates', '[{"userName":"a"},{"userName":"a"}]', /unique/],
    ['no users', '[]', /DEV_IDP_USERS/],
  ])('refuses DEV_IDP_USERS that is %s, naming the variable', (_what, value, message) => {
    expect(() => loadDevIdpConfig({ DEV_IDP_USERS: value })).toThrow(message);
  });

  it('refuses a DEV_IDP_JWKS without private keys', () => {
    expect(() => loadDevIdpConfig({ DEV_IDP_JWKS: '{"keys":[{"kty":"RSA","n":"x","e":"AQAB"}]}' })).toThrow(/DEV_IDP_JWKS/);
  });
});
