import { Registry } from 'prom-client';
import type { TokenLookupResult } from '@latchkey/contracts';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { InMemoryTokenReadModel } from './in-memory-token-read-model';
import { MemoryTokenCache } from './memory-token.cache';
import { aTokenView, factsOf } from './test-fixtures';
import { TokenLookupService } from './token-lookup.service';
import { SourceUnavailableError, TokenSource } from './token-read-model.port';

class FakeSource implements TokenSource {
  readonly rows = new Map<string, TokenLookupResult>();
  calls = 0;
  down = false;
  async findByHash(hmac: string): Promise<TokenLookupResult | null> {
    this.calls++;
    if (this.down) throw new SourceUnavailableError('down');
    return this.rows.get(hmac) ?? null;
  }
}

async function counts(metrics: ValidationMetrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.lookups.get()).values) out[String(v.labels.layer)] = v.value;
  return out;
}

function setup(negativeTtlMs = 2000) {
  const memory = new MemoryTokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs });
  const readModel = new InMemoryTokenReadModel();
  const source = new FakeSource();
  const metrics = new ValidationMetrics(new Registry());
  const lookups = new TokenLookupService(memory, readModel, source, metrics);
  return { memory, readModel, source, metrics, lookups };
}

const flush = () => new Promise((r) => setImmediate(r));

describe(TokenLookupService.name, () => {
  it('asks the source on a cold miss, then answers from memory and fills the read model', async () => {
    const { source, readModel, lookups, metrics } = setup();
    const token = aTokenView();
    source.rows.set('h1', { secretGeneration: 1, token });

    expect(await lookups.lookup('h1')).toEqual({ secretGeneration: 1, token: factsOf(token) });
    expect(await lookups.lookup('h1')).toEqual({ secretGeneration: 1, token: factsOf(token) });
    await flush();

    expect(source.calls).toBe(1);
    expect(readModel.hashes.get('h1')).toEqual({ tokenId: token.id, secretGeneration: 1 });
    expect(readModel.tokens.get(token.id)).toEqual(token);
    expect(await counts(metrics)).toEqual({ source: 1, memory: 1 });
  });

  it('answers from the read model before the source', async () => {
    const { source, readModel, lookups, metrics } = setup();
    const token = aTokenView();
    readModel.hashes.set('h1', { tokenId: token.id, secretGeneration: 1 });
    readModel.tokens.set(token.id, token);

    expect(await lookups.lookup('h1')).toEqual({ secretGeneration: 1, token: factsOf(token) });
    expect(source.calls).toBe(0);
    expect(await counts(metrics)).toEqual({ redis: 1 });
  });

  it('falls through to the source when the read model fails', async () => {
    const { source, readModel, lookups, metrics } = setup();
    const token = aTokenView();
    readModel.failing = true;
    source.rows.set('h1', { secretGeneration: 1, token });

    expect(await lookups.lookup('h1')).toEqual({ secretGeneration: 1, token: factsOf(token) });
    await flush();
    expect((await metrics.lookupErrors.get()).values[0]).toMatchObject({ labels: { layer: 'redis' }, value: 1 });
    expect((await metrics.readModelWriteFailures.get()).values[0].value).toBe(1);
  });

  it('remembers a 404 briefly, and forgets it when a token is issued', async () => {
    const { source, lookups, memory, metrics } = setup();
    expect(await lookups.lookup('h404')).toBeNull();
    expect(await lookups.lookup('h404')).toBeNull();
    expect(source.calls).toBe(1);
    expect(await counts(metrics)).toEqual({ source: 1, negative: 1 });

    memory.forgetMissing();
    source.rows.set('h404', { secretGeneration: 1, token: aTokenView() });
    expect(await lookups.lookup('h404')).not.toBeNull();
  });

  it('does not remember a 404 that raced with a new token', async () => {
    const { source, lookups, memory } = setup();
    let release: () => void = () => undefined;
    source.findByHash = async () => {
      await new Promise<void>((r) => (release = r));
      return null;
    };
    const pending = lookups.lookup('h');
    await flush();
    memory.forgetMissing();
    release();
    expect(await pending).toBeNull();
    expect(memory.isKnownMissing('h')).toBe(false);
  });

  it('shares one source call between concurrent lookups of one hash', async () => {
    const { source, lookups } = setup();
    source.rows.set('h1', { secretGeneration: 1, token: aTokenView() });
    await Promise.all([lookups.lookup('h1'), lookups.lookup('h1'), lookups.lookup('h1')]);
    expect(source.calls).toBe(1);
  });

  it('propagates a source failure (fail closed)', async () => {
    const { source, lookups } = setup();
    source.down = true;
    await expect(lookups.lookup('h1')).rejects.toBeInstanceOf(SourceUnavailableError);
  });

  it('keeps the newer state when a slow lookup returns an older one', async () => {
    const { source, lookups, memory } = setup();
    const issued = aTokenView({ version: 1 });
    memory.putToken(aTokenView({ version: 2, status: 'revoked' }));
    source.rows.set('h1', { secretGeneration: 1, token: issued });
    expect((await lookups.lookup('h1'))?.token.status).toBe('revoked');
  });

  it('lookupFresh asks the source even on a memory hit, and keeps the answer', async () => {
    const { source, lookups, memory } = setup();
    source.rows.set('h1', { secretGeneration: 1, token: aTokenView() });
    await lookups.lookup('h1');
    source.rows.set('h1', { secretGeneration: 1, token: aTokenView({ version: 2, status: 'revoked' }) });
    expect((await lookups.lookup('h1'))?.token.status).toBe('active');
    expect((await lookups.lookupFresh('h1'))?.token.status).toBe('revoked');
    expect(source.calls).toBe(2);
    expect(memory.find('h1')?.token.status).toBe('revoked');
  });

  it('lookupFresh fails closed when the source is down', async () => {
    const { source, lookups } = setup();
    source.rows.set('h1', { secretGeneration: 1, token: aTokenView() });
    await lookups.lookup('h1');
    source.down = true;
    await expect(lookups.lookupFresh('h1')).rejects.toBeInstanceOf(SourceUnavailableError);
  });
});

describe('TokenLookupService misses', () => {
  it('answers concurrent misses of one HMAC with one read-model round trip', async () => {
    const { readModel, lookups } = setup();
    const token = aTokenView();
    readModel.hashes.set('h-shared', { tokenId: token.id, secretGeneration: 1 });
    readModel.tokens.set(token.id, token);
    const answers = await Promise.all([lookups.lookup('h-shared'), lookups.lookup('h-shared'), lookups.lookup('h-shared')]);
    expect(answers.map((a) => a?.token.id)).toEqual([token.id, token.id, token.id]);
    expect(readModel.calls).toBe(1);
    expect((await lookups.lookup('h-shared'))?.token.id).toBe(token.id);
    expect(readModel.calls).toBe(1);
  });
});
