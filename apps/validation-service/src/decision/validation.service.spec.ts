import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import type { TokenLookupResult } from '@latchkey/contracts';
import { generateToken, hashToken } from '@latchkey/token-format';
import { InMemoryTokenReadModel } from '../cache/in-memory-token-read-model';
import { MemoryTokenCache } from '../cache/memory-token.cache';
import { aTokenView } from '../cache/test-fixtures';
import { TokenLookupService } from '../cache/token-lookup.service';
import { loadValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { ALWAYS_FRESH, NOT_RECORDED, ValidationService } from './validation.service';

const config = loadValidationServiceConfig({});
const NOW = Date.parse('2030-01-01T00:00:00Z');

describe(ValidationService.name, () => {
  const rows = new Map<string, TokenLookupResult>();
  const reported: string[] = [];
  const memory = new MemoryTokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 2000 });
  const metrics = new ValidationMetrics(new Registry());
  const lookups = new TokenLookupService(memory, new InMemoryTokenReadModel(), { findByHash: async (h) => rows.get(h) ?? null }, metrics);
  const service = new ValidationService(config, lookups, metrics, () => NOW, ALWAYS_FRESH, NOT_RECORDED, {}, { report: (h) => reported.push(h) });

  let ids = 0;
  // one token per secret: the cache keeps token states by id
  const secret = (generation: number, over: Parameters<typeof aTokenView>[0] = {}) => {
    const id = `0190a000-0000-7000-8000-${String(++ids).padStart(12, '0')}`;
    const token = generateToken(randomBytes, 'lk_');
    const hash = hashToken(config.LATCHKEY_PEPPER, token);
    rows.set(hash, { secretGeneration: generation, token: aTokenView({ id, secretGeneration: 2, previousSecretValidUntil: new Date(NOW - 1).toISOString(), ...over }) });
    return { token, hash };
  };
  const validate = (token: string) => service.validate({ token, method: 'GET', path: '/x', ip: '10.0.0.1' });

  beforeEach(() => (reported.length = 0));

  it('reports a rotated-away secret past its grace to token-service, from the lookup and from the cache', async () => {
    const old = secret(1);
    expect((await validate(old.token)).code).toBe('REVOKED');
    expect((await validate(old.token)).code).toBe('REVOKED');
    expect(reported).toEqual([old.hash, old.hash]);
  });

  it('reports neither the current secret, nor a previous one within its grace, nor a revoked token', async () => {
    expect((await validate(secret(2).token)).code).toBe('VALID');
    expect((await validate(secret(1, { previousSecretValidUntil: new Date(NOW + 60_000).toISOString() }).token)).code).toBe('VALID');
    expect((await validate(secret(1, { status: 'revoked' }).token)).code).toBe('REVOKED');
    expect(reported).toEqual([]);
  });
});
