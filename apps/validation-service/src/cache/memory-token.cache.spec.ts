import { MemoryTokenCache } from './memory-token.cache';
import { aTokenView, factsOf } from './test-fixtures';

describe('MemoryTokenCache', () => {
  const cache = () => new MemoryTokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 1_000 });

  it('keeps the facts a decision reads, not the whole token state', () => {
    const memory = cache();
    const view = aTokenView({ allowedCidrs: ['10.0.0.0/8'] });
    memory.remember('h1', { secretGeneration: 1, token: view });

    const found = memory.find('h1');
    expect(found).toEqual({ secretGeneration: 1, token: factsOf(view) });
    expect(found?.token).not.toHaveProperty('name');
    expect(found?.token).not.toHaveProperty('hint');
  });

  it('shares owner ids and scope lists between tokens', () => {
    const memory = cache();
    const a = memory.putToken(aTokenView({ id: 'a', ownerId: ['al', 'ice'].join(''), scopes: ['read', 'write'] }));
    const b = memory.putToken(aTokenView({ id: 'b', ownerId: ['ali', 'ce'].join(''), scopes: ['read', 'write'] }));
    expect(b.ownerId).toBe(a.ownerId);
    expect(b.scopes).toBe(a.scopes);
    expect(Object.isFrozen(a.scopes)).toBe(true);
  });

  it('never lets an older state replace a newer one', () => {
    const memory = cache();
    memory.putToken(aTokenView({ version: 3, status: 'revoked' }));
    const kept = memory.remember('h1', { secretGeneration: 1, token: aTokenView({ version: 2 }) });
    expect(kept.token.status).toBe('revoked');
    expect(memory.find('h1')?.token.version).toBe(3);
  });

  it('forgets remembered 404s when a token may have appeared', () => {
    const memory = cache();
    const epoch = memory.currentNegativeEpoch();
    memory.rememberMissing('h1', epoch);
    expect(memory.isKnownMissing('h1')).toBe(true);
    memory.forgetMissing();
    expect(memory.isKnownMissing('h1')).toBe(false);
    memory.rememberMissing('h2', epoch); // looked up before the token appeared: not remembered
    expect(memory.isKnownMissing('h2')).toBe(false);
  });

  it('is bounded by memory as well as by entries: the least recently used go first', () => {
    const memory = new MemoryTokenCache({ maxEntries: 10_000, maxBytes: 100 * 1024, ttlMs: 60_000, negativeTtlMs: 0 });
    for (let i = 0; i < 1_000; i++) {
      memory.remember(`hmac-${i}`.padEnd(64, '0'), { secretGeneration: 1, token: aTokenView({ id: `token-${i}` }) });
    }
    const size = memory.size;
    expect(size.approximateBytes).toBeLessThanOrEqual(100 * 1024);
    expect(size.tokens).toBeGreaterThan(100);
    expect(size.tokens).toBeLessThan(1_000);
    expect(memory.find('hmac-999'.padEnd(64, '0'))?.token.id).toBe('token-999');
    expect(memory.find('hmac-0'.padEnd(64, '0'))).toBeUndefined();
  });
});
