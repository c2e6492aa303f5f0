import fc from 'fast-check';
import type { Scope, TokenLookupResult, TokenView } from '@latchkey/contracts';
import { generateToken, parseToken } from '@latchkey/token-format';
import { ipInAnyCidr } from './cidr.util';
import { parseAuthorization, PresentedCredentials, readCredentials } from './credentials.util';
import { decide, scopesAllowMethod } from './validation.decider';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** deterministic "random" bytes from a seed array, for generateToken */
const bytesFrom = (seed: number[]) => (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => seed[i % seed.length]));
const tokenArb = fc.array(fc.integer({ min: 0, max: 247 }), { minLength: 8, maxLength: 64 }).map((seed) => generateToken(bytesFrom(seed), 'lk_'));

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const ipArb = fc.oneof(ipv4, fc.ipV6(), fc.string({ maxLength: 20 }));
const cidrArb = fc.oneof(fc.tuple(ipv4, fc.nat(32)).map(([a, n]) => `${a}/${n}`), fc.tuple(fc.ipV6(), fc.nat(128)).map(([a, n]) => `${a}/${n}`), fc.string({ maxLength: 12 }));
const methodArb = fc.oneof(fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'get', 'BREW'), fc.string({ minLength: 1, maxLength: 10 }));
const isoArb = fc.option(fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), { nil: null });

const viewArb: fc.Arbitrary<TokenView> = fc.record({
  id: fc.uuid(),
  ownerId: fc.constantFrom('alice', 'bob', 'zoë'),
  createdBy: fc.constant('admin'),
  name: fc.string({ maxLength: 10 }),
  hint: fc.constant('lk_…abcd'),
  scopes: fc.subarray<Scope>(['read', 'write', 'admin']),
  allowedCidrs: fc.array(cidrArb, { maxLength: 3 }),
  status: fc.constantFrom('active', 'revoked', 'expired'),
  createdAt: fc.constant('2029-01-01T00:00:00.000Z'),
  expiresAt: isoArb,
  revokedAt: fc.constant(null),
  revokedReason: fc.constant(null),
  secretGeneration: fc.integer({ min: 1, max: 4 }),
  previousSecretValidUntil: isoArb,
  version: fc.integer({ min: 1, max: 20 }),
});
const lookupArb: fc.Arbitrary<TokenLookupResult | null> = fc.option(
  fc.tuple(viewArb, fc.integer({ min: 0, max: 5 })).map(([token, gen]) => ({ token, secretGeneration: gen })),
  { nil: null },
);
const credentialsArb: fc.Arbitrary<PresentedCredentials> = fc.oneof(
  fc.constant<PresentedCredentials>({ kind: 'none' }),
  fc.constant<PresentedCredentials>({ kind: 'malformed' }),
  fc.string({ maxLength: 8 }).map((user): PresentedCredentials => ({ kind: 'password', user })),
  fc.constantFrom<PresentedCredentials>(
    { kind: 'token', token: 'lk_x', via: 'bearer' },
    { kind: 'token', token: 'lk_x', via: 'body' },
    { kind: 'token', token: 'lk_x', via: 'basic', basicUser: 'alice' },
    { kind: 'token', token: 'lk_x', via: 'basic', basicUser: 'mallory' },
  ),
);

describe('token parser (property-based)', () => {
  it('accepts every generated token', () => {
    fc.assert(fc.property(tokenArb, (t) => parseToken(t, 'lk_').ok));
  });

  it('rejects every single-character change of a valid token', () => {
    fc.assert(
      fc.property(tokenArb, fc.nat(), fc.nat(61), (t, at, shift) => {
        const i = 3 + (at % (t.length - 3));
        const replacement = ALPHABET[(ALPHABET.indexOf(t[i]) + 1 + shift) % 62];
        fc.pre(replacement !== t[i]);
        return !parseToken(t.slice(0, i) + replacement + t.slice(i + 1), 'lk_').ok;
      }),
    );
  });

  it('never throws, whatever the input (NUL, non-ASCII, huge, non-strings)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.anything()), (input) => {
        const r = parseToken(input, 'lk_');
        return r.ok === false || (typeof input === 'string' && input.startsWith('lk_'));
      }),
    );
  });

  it('reads any Authorization header without throwing, and finds a token only if it parses', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `Basic ${s}`),
          fc.string({ maxLength: 60 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
          tokenArb.map((t) => `Bearer ${t}`),
        ),
        (header) => {
          const c = parseAuthorization(header, 'lk_');
          return c.kind !== 'token' || parseToken(c.token, 'lk_').ok;
        },
      ),
    );
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (token) => ['malformed', 'token'].includes(readCredentials({ token }, 'lk_').kind)));
  });
});

describe('decide (property-based)', () => {
  const request = fc.record({ credentials: credentialsArb, method: methodArb, ip: ipArb, path: fc.string({ maxLength: 20 }) });

  it('never throws, and only a presented, found, live token in range and scope is VALID', () => {
    fc.assert(
      fc.property(request, lookupArb, (req, lookup) => {
        const d = decide(req, lookup, NOW);
        if (d.code !== 'VALID') return true;
        const t = lookup!.token;
        return (
          req.credentials.kind === 'token' &&
          t.status === 'active' &&
          (t.expiresAt === null || Date.parse(t.expiresAt) > NOW.getTime()) &&
          (t.allowedCidrs.length === 0 || ipInAnyCidr(req.ip, t.allowedCidrs)) &&
          scopesAllowMethod(t.scopes, req.method) &&
          d.tokenId === t.id &&
          d.userId === t.ownerId
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('reveals nothing about a token to a request that did not identify one', () => {
    fc.assert(
      fc.property(request, lookupArb, (req, lookup) => {
        const d = decide(req, lookup, NOW);
        const identified = req.credentials.kind === 'token' && lookup !== null && (req.credentials.via !== 'basic' || req.credentials.basicUser === lookup.token.ownerId);
        return identified || (d.tokenId === null && d.scopes.length === 0 && d.expiresAt === null);
      }),
      { numRuns: 2000 },
    );
  });

  it('is monotonic in refusals: a revoked token or a deactivated owner is never VALID, whatever else', () => {
    fc.assert(
      fc.property(request, lookupArb, fc.boolean(), (req, lookup, revoke) => {
        const l = lookup && revoke ? { ...lookup, token: { ...lookup.token, status: 'revoked' as const } } : lookup;
        const d = decide(req, l, NOW, { isUserActive: () => !revoke });
        return !(revoke && d.code === 'VALID');
      }),
    );
  });
});
