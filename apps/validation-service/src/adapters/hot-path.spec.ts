import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { TokenLookupResult } from '@latchkey/contracts';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { generateToken, hashToken } from '@latchkey/token-format';
import { InMemoryTokenReadModel } from '../cache/in-memory-token-read-model';
import { MemoryTokenCache } from '../cache/memory-token.cache';
import { aTokenView } from '../cache/test-fixtures';
import { TokenLookupService } from '../cache/token-lookup.service';
import { loadValidationServiceConfig } from '../config/validation-service.config';
import { ValidationService } from '../decision/validation.service';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { createHotPath } from './hot-path';
import { ValidateJsonHandler } from './json/validate-json.handler';

const config = loadValidationServiceConfig({ LATCHKEY_CLIENTS: 'proxy:proxy-client-secret', LATCHKEY_TRUSTED_PROXIES: '127.0.0.1/32,::1/128' });
const CLIENT = `Basic ${Buffer.from('proxy:proxy-client-secret').toString('base64')}`;
const readToken = generateToken(randomBytes, 'lk_');
const revokedToken = generateToken(randomBytes, 'lk_');
const cidrToken = generateToken(randomBytes, 'lk_');
const unknownToken = generateToken(randomBytes, 'lk_');
const READ_ID = '0190a000-0000-7000-8000-0000000000aa';

describe('hot path adapters (nginx, Envoy, RFC 7662, RFC 7009)', () => {
  let server: Server;
  let base: string;
  const revoked: string[] = [];

  beforeAll(async () => {
    const rows = new Map<string, TokenLookupResult>([
      [hashToken(config.LATCHKEY_PEPPER, readToken), { secretGeneration: 1, token: aTokenView({ id: READ_ID, ownerId: 'zoë', expiresAt: '2100-01-01T00:00:00.000Z' }) }],
      [hashToken(config.LATCHKEY_PEPPER, revokedToken), { secretGeneration: 1, token: aTokenView({ id: '0190a000-0000-7000-8000-0000000000bb', status: 'revoked' }) }],
      [hashToken(config.LATCHKEY_PEPPER, cidrToken), { secretGeneration: 1, token: aTokenView({ id: '0190a000-0000-7000-8000-0000000000cc', allowedCidrs: ['198.51.100.0/24'] }) }],
    ]);
    const metrics = new ValidationMetrics(new Registry());
    const memory = new MemoryTokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 2000 });
    const lookups = new TokenLookupService(memory, new InMemoryTokenReadModel(), { findByHash: async (h) => rows.get(h) ?? null }, metrics);
    const validation = new ValidationService(config, lookups, metrics, () => Date.now());
    const readiness = new ReadinessRegistry();
    readiness.register({ name: 'freshness', check: async () => ({ ok: false, detail: { stale: true } }) });
    const fast = createHotPath({
      config,
      json: new ValidateJsonHandler(config, validation),
      validation,
      revoker: { revokeByHash: async (h) => (revoked.push(h), { revoked: true }) },
      readiness,
    });
    server = createServer((req, res) => {
      if (!fast(req, res)) res.writeHead(404).end('passed on');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const nginx = (headers: Record<string, string>) =>
    fetch(`${base}/v1/authz/nginx`, { headers: { 'x-latchkey-client': CLIENT, 'x-original-method': 'GET', 'x-original-uri': '/rest/api/2/myself?x=1', ...headers } });

  describe('nginx auth_request', () => {
    it('allows a read token on GET with the identity headers (made header-safe)', async () => {
      const res = await nginx({ authorization: `Bearer ${readToken}` });
      expect(res.status).toBe(204);
      expect(res.headers.get('x-latchkey-user')).toBe('zo%C3%AB');
      expect(res.headers.get('x-latchkey-token-id')).toBe(READ_ID);
      expect(res.headers.get('x-latchkey-scopes')).toBe('read');
    });

    it('answers 403 for a write with a read token and for a revoked token; 401 with a Bearer challenge otherwise', async () => {
      expect((await nginx({ authorization: `Bearer ${readToken}`, 'x-original-method': 'POST' })).status).toBe(403);
      expect((await nginx({ authorization: `Bearer ${revokedToken}` })).status).toBe(403);
      const none = await nginx({});
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="latchkey"');
      const bad = await nginx({ authorization: 'Bearer lk_nope' });
      expect([bad.status, bad.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="latchkey", error="invalid_token"']);
      expect((await nginx({ authorization: `Bearer ${unknownToken}` })).status).toBe(401);
    });

    it('refuses an unauthenticated proxy without looking at the token', async () => {
      const res = await fetch(`${base}/v1/authz/nginx`, { headers: { authorization: `Bearer ${readToken}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('x-latchkey-user')).toBeNull();
    });

    it('takes the client IP from X-Real-IP of a trusted proxy', async () => {
      expect((await nginx({ authorization: `Bearer ${cidrToken}`, 'x-real-ip': '198.51.100.9' })).status).toBe(204);
      expect((await nginx({ authorization: `Bearer ${cidrToken}`, 'x-real-ip': '203.0.113.9' })).status).toBe(403);
    });

    it('answers 400 for an original method that is not a method name', async () => {
      expect((await nginx({ authorization: `Bearer ${readToken}`, 'x-original-method': 'GE T' })).status).toBe(400);
    });
  });

  describe('Envoy ext_authz', () => {
    const envoy = (method: string, path: string, headers: Record<string, string>) =>
      fetch(`${base}/v1/authz/envoy${path}`, { method, headers: { 'x-latchkey-client': CLIENT, ...headers } });

    it('allows with 200 and identity headers, denies with the status and a JSON code', async () => {
      const ok = await envoy('GET', '/rest/api/2/issue/ABC-1', { authorization: `Bearer ${readToken}` });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-latchkey-token-id')).toBe(READ_ID);
      const denied = await envoy('DELETE', '/rest/api/2/issue/ABC-1', { authorization: `Bearer ${readToken}` });
      expect(denied.status).toBe(403);
      expect(await denied.json()).toEqual({ code: 'SCOPE_DENIED' });
      expect((await envoy('GET', '/x', {})).status).toBe(401);
    });
  });

  describe('RFC 7662 introspection', () => {
    const introspect = (body: string, auth: string | null = CLIENT) =>
      fetch(`${base}/oauth2/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
        body,
      });

    it('describes an active token', async () => {
      const res = await introspect(`token=${readToken}&token_type_hint=access_token`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        active: true, scope: 'read', token_type: 'Bearer', sub: 'zoë', username: 'zoë', jti: READ_ID,
        iat: Math.floor(Date.parse('2029-12-01T00:00:00.000Z') / 1000), exp: Math.floor(Date.parse('2100-01-01T00:00:00.000Z') / 1000),
      });
    });

    it('answers only active:false for any inactive token', async () => {
      for (const t of [revokedToken, unknownToken, 'lk_garbage', cidrToken]) {
        expect(await (await introspect(`token=${encodeURIComponent(t)}`)).json()).toEqual({ active: false });
      }
      expect(await (await introspect(`token=${cidrToken}&ip=198.51.100.1`)).json()).toMatchObject({ active: true });
    });

    it('accepts client_secret_post, refuses unknown clients and bad requests', async () => {
      expect((await introspect(`token=${readToken}&client_id=proxy&client_secret=proxy-client-secret`, null)).status).toBe(200);
      const noClient = await introspect(`token=${readToken}`, null);
      expect([noClient.status, await noClient.json()]).toEqual([401, { error: 'invalid_client', error_description: 'client authentication failed' }]);
      expect((await introspect('token_type_hint=access_token')).status).toBe(400);
      expect((await introspect(`token=${readToken}&token=${readToken}`)).status).toBe(400);
      expect((await introspect(`token=${readToken}&ip=not-an-ip`)).status).toBe(400);
      const json = await fetch(`${base}/oauth2/introspect`, { method: 'POST', headers: { authorization: CLIENT, 'content-type': 'application/json' }, body: '{}' });
      expect(json.status).toBe(400);
      expect((await fetch(`${base}/oauth2/introspect`, { headers: { authorization: CLIENT } })).status).toBe(405);
    });
  });

  describe('RFC 7009 revocation', () => {
    const revoke = (body: string) =>
      fetch(`${base}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: CLIENT }, body });

    it('revokes a well-formed token through the source, and answers 200 for anything', async () => {
      expect((await revoke(`token=${readToken}`)).status).toBe(200);
      expect(revoked).toEqual([hashToken(config.LATCHKEY_PEPPER, readToken)]);
      expect((await revoke('token=lk_garbage')).status).toBe(200);
      expect(revoked).toHaveLength(1);
      expect((await revoke('')).status).toBe(400);
    });
  });

  it('serves readiness with its details, even when down', async () => {
    const res = await fetch(`${base}/health/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'error', error: { freshness: { status: 'down', stale: true } } });
  });

  it('passes other paths on', async () => {
    expect(await (await fetch(`${base}/metrics`)).text()).toBe('passed on');
    expect(await (await fetch(`${base}/v1/authz/envoyx`)).text()).toBe('passed on');
  });
});
