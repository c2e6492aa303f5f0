import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { TokenLookupResult } from '@latchkey/contracts';
import { generateToken, hashToken } from '@latchkey/token-format';
import { InMemoryTokenReadModel } from '../../cache/in-memory-token-read-model';
import { MemoryTokenCache } from '../../cache/memory-token.cache';
import { aTokenView } from '../../cache/test-fixtures';
import { TokenLookupService } from '../../cache/token-lookup.service';
import { loadValidationServiceConfig } from '../../config/validation-service.config';
import { ValidationService } from '../../decision/validation.service';
import { ValidationMetrics } from '../../metrics/validation.metrics';
import { ValidateJsonHandler } from './validate-json.handler';
import { createValidateFastPath, MAX_BODY_BYTES } from './validate.fast-path';

const config = loadValidationServiceConfig({ LATCHKEY_CLIENTS: 'nginx:nginx-client-secret' });
const CLIENT = `Basic ${Buffer.from('nginx:nginx-client-secret').toString('base64')}`;
const token = generateToken(randomBytes, 'lk_');

describe('POST /v1/validate (fast path)', () => {
  let server: Server;
  let base: string;
  const rows = new Map<string, TokenLookupResult>();
  const readModel = new InMemoryTokenReadModel();
  let sourceCalls = 0;
  const metrics = new ValidationMetrics(new Registry());

  beforeAll(async () => {
    rows.set(hashToken(config.LATCHKEY_PEPPER, token), { secretGeneration: 1, token: aTokenView({ scopes: ['read'] }) });
    const memory = new MemoryTokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 2000 });
    const source = { findByHash: async (h: string) => (sourceCalls++, rows.get(h) ?? null) };
    const lookups = new TokenLookupService(memory, readModel, source, metrics);
    const handler = new ValidateJsonHandler(config, new ValidationService(config, lookups, metrics, () => Date.now()));
    const fast = createValidateFastPath(handler);
    server = createServer((req, res) => {
      if (!fast(req, res)) res.writeHead(404).end('passed on');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (body: unknown, auth: string | undefined = CLIENT) =>
    fetch(`${base}/v1/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers VALID for a good token', async () => {
    const res = await post({ token, method: 'GET', path: '/x', ip: '10.0.0.1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ valid: true, code: 'VALID', userId: 'alice', scopes: ['read'] });
  });

  it('answers SCOPE_DENIED through a Bearer header', async () => {
    const res = await post({ authorization: `Bearer ${token}`, method: 'POST', path: '/x', ip: '10.0.0.1' });
    expect(await res.json()).toMatchObject({ valid: false, code: 'SCOPE_DENIED' });
  });

  it('answers MALFORMED without touching the read model or the source', async () => {
    const before = { readModel: readModel.calls, source: sourceCalls };
    const res = await post({ token: 'lk_nope', method: 'GET', path: '/x', ip: '10.0.0.1' });
    expect(await res.json()).toEqual({ valid: false, code: 'MALFORMED', tokenId: null, userId: null, scopes: [], expiresAt: null });
    expect({ readModel: readModel.calls, source: sourceCalls }).toEqual(before);
  });

  it('answers 401 to an unregistered client, learning nothing', async () => {
    for (const auth of ['', `Basic ${Buffer.from('nginx:wrong').toString('base64')}`, `Bearer ${token}`]) {
      const res = await post({ token, method: 'GET', path: '/x', ip: '10.0.0.1' }, auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('answers 400 problems for bad JSON and bad fields', async () => {
    const bad = await post('{"token":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 400, detail: 'request body is not valid JSON' });
    const missing = await post({ token });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: string[] }).errors).toEqual(['method is required', 'path is required', 'ip is required']);
  });

  it('answers 413 over 64 KiB', async () => {
    const res = await post({ token, method: 'GET', path: '/' + 'a'.repeat(MAX_BODY_BYTES), ip: '10.0.0.1' });
    expect(res.status).toBe(413);
  });

  it('answers 405 to other methods and passes other paths on', async () => {
    const get = await fetch(`${base}/v1/validate`, { headers: { authorization: CLIENT } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/health/live`)).status).toBe(404);
  });
});
