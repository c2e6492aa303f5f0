import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { TokenView } from '@latchkey/contracts';
import { generateToken, hashToken } from '@latchkey/token-format';
import { HttpLatchkeyTokenAuthenticator } from './http-latchkey-token.authenticator';

const PEPPER = 'pepper-for-the-spec-0123';
const INTERNAL = 'internal-secret-0123456';

function aToken(overrides: Partial<TokenView> = {}): TokenView {
  return {
    id: '0190a000-0000-7000-8000-000000000001',
    ownerId: 'alice',
    createdBy: 'alice',
    name: 'ci',
    hint: 'lk_…abcd',
    scopes: ['read', 'admin'],
    allowedCidrs: [],
    status: 'active',
    createdAt: '2029-12-01T00:00:00.000Z',
    expiresAt: null,
    revokedAt: null,
    revokedReason: null,
    secretGeneration: 1,
    previousSecretValidUntil: null,
    version: 1,
    ...overrides,
  };
}

describe(HttpLatchkeyTokenAuthenticator.name, () => {
  let server: Server;
  let base: string;
  let requests: Array<{ url?: string; secret?: string; hash: string }> = [];
  const answers = new Map<string, { status: number; body?: unknown }>();

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      const hash = (JSON.parse(raw) as { secretHash: string }).secretHash;
      requests.push({ url: req.url, secret: String(req.headers['x-latchkey-internal']), hash });
      const answer = answers.get(hash) ?? { status: 404 };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    requests = [];
    answers.clear();
  });

  const authenticator = () => new HttpLatchkeyTokenAuthenticator({ baseUrl: `${base}/`, internalSecret: INTERNAL, pepper: PEPPER, timeoutMs: 500 });
  const newToken = (token: TokenView, secretGeneration = 1, status = 200) => {
    const secret = generateToken(randomBytes);
    answers.set(hashToken(PEPPER, secret), { status, body: { secretGeneration, token } });
    return secret;
  };

  it('authenticates an active token through the internal lookup, HMAC in the body', async () => {
    const secret = newToken(aToken());
    expect(await authenticator().authenticate(secret)).toEqual({
      userId: 'alice',
      via: 'latchkey-token',
      tokenId: aToken().id,
      scopes: ['read', 'admin'],
      groups: [],
      isAdmin: true,
    });
    expect(requests).toEqual([{ url: '/internal/v1/tokens/lookup', secret: INTERNAL, hash: hashToken(PEPPER, secret) }]);
  });

  it('answers null for unknown, revoked, expired and rotated-away tokens', async () => {
    const a = authenticator();
    expect(await a.authenticate(generateToken(randomBytes))).toBeNull();
    expect(await a.authenticate(newToken(aToken({ status: 'revoked' })))).toBeNull();
    expect(await a.authenticate(newToken(aToken({ expiresAt: '2020-01-01T00:00:00.000Z' })))).toBeNull();
    expect(await a.authenticate(newToken(aToken({ secretGeneration: 2 }), 1))).toBeNull();
  });

  it('rejects malformed tokens without a request', async () => {
    for (const bearer of ['', 'lk_short', 'eyJhbGciOiJSUzI1NiJ9.e30.x', `${generateToken(randomBytes).slice(0, -1)}A`]) {
      expect(await authenticator().authenticate(bearer)).toBeNull();
    }
    expect(requests).toHaveLength(0);
  });

  it('throws DEPENDENCY_UNAVAILABLE when token-service fails or is unreachable', async () => {
    await expect(authenticator().authenticate(newToken(aToken(), 1, 500))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    const dead = new HttpLatchkeyTokenAuthenticator({ baseUrl: 'http://127.0.0.1:1', internalSecret: INTERNAL, pepper: PEPPER, timeoutMs: 200 });
    await expect(dead.authenticate(generateToken(randomBytes))).rejects.toThrow(/^token-service unreachable$/);
  });
});
