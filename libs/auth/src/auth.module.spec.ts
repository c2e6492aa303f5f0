import { Controller, Get, INestApplication, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { exportJWK, generateKeyPair, KeyLike, SignJWT, createLocalJWKSet } from 'jose';
import { ProblemDetailsFilter } from '@latchkey/service-kit';
import { AdminGuard, CurrentPrincipal, ManagementAuthGuard } from './auth.guards';
import { AuthModule } from './auth.module';
import { LatchkeyTokenAuthenticator } from './latchkey-token/latchkey-token.authenticator';
import { latchkeyTokenPrincipal, Principal } from './principal';

@Controller()
class ProbeController {
  @Get('me')
  @UseGuards(ManagementAuthGuard)
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('admin')
  @UseGuards(ManagementAuthGuard, AdminGuard)
  admin(@CurrentPrincipal() principal: Principal): { userId: string } {
    return { userId: principal.userId };
  }
}

/** stands in for token-service's database-backed authenticator */
class FakeTokens implements LatchkeyTokenAuthenticator {
  async authenticate(bearer: string): Promise<Principal | null> {
    if (bearer === 'lk_admin') return latchkeyTokenPrincipal({ id: 't-1', ownerId: 'root', scopes: ['admin'] });
    if (bearer === 'lk_read') return latchkeyTokenPrincipal({ id: 't-2', ownerId: 'bob', scopes: ['read'] });
    return null;
  }
}

const ISSUER = 'https://idp.example';

describe(AuthModule.name, () => {
  let key: KeyLike;
  let app: INestApplication;
  let base: string;

  async function start(oidc: boolean): Promise<void> {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    const keySet = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'ES256' }] });
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthModule.forRoot({
          oidc: oidc
            ? { issuer: ISSUER, audience: 'latchkey', userClaim: 'preferred_username', groupsClaim: 'groups', adminGroup: 'latchkey-admins', clockToleranceSeconds: 0, keySet }
            : undefined,
          latchkeyTokens: { useClass: FakeTokens },
        }),
      ],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  }
  afterEach(() => app.close());

  const jwt = (user: string, groups: string[]) =>
    new SignJWT({ preferred_username: user, groups }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer(ISSUER).setAudience('latchkey').setSubject(user).setExpirationTime('5m').sign(key);
  const get = async (path: string, bearer?: string) => {
    const res = await fetch(`${base}${path}`, { headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lets an OIDC user in with their groups', async () => {
    await start(true);
    expect(await get('/me', await jwt('alice', ['jira-users']))).toEqual({
      status: 200,
      body: { userId: 'alice', via: 'oidc', scopes: ['read', 'write'], groups: ['jira-users'], isAdmin: false },
    });
  });

  it('lets a Latchkey token in through the authenticator port', async () => {
    await start(true);
    expect(await get('/me', 'lk_read')).toMatchObject({ status: 200, body: { userId: 'bob', via: 'latchkey-token', tokenId: 't-2' } });
  });

  it('answers 401 without credentials or with a bad one', async () => {
    await start(true);
    expect((await get('/me')).status).toBe(401);
    expect((await get('/me', 'lk_unknown')).status).toBe(401);
    expect((await get('/me', `${await jwt('alice', [])}x`)).status).toBe(401);
  });

  it('lets only administrators through AdminGuard (403 otherwise)', async () => {
    await start(true);
    expect(await get('/admin', await jwt('admin', ['latchkey-admins']))).toEqual({ status: 200, body: { userId: 'admin' } });
    expect(await get('/admin', 'lk_admin')).toEqual({ status: 200, body: { userId: 'root' } });
    expect((await get('/admin', await jwt('alice', ['jira-users']))).status).toBe(403);
    expect((await get('/admin', 'lk_read')).status).toBe(403);
  });

  it('accepts no OIDC token when OIDC is disabled, and still accepts Latchkey tokens', async () => {
    await start(false);
    expect((await get('/me', await jwt('alice', ['jira-users']))).status).toBe(401);
    expect((await get('/me', 'lk_read')).status).toBe(200);
  });
});
