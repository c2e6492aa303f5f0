import { Registry } from 'prom-client';
import type { TokenEvent } from '@latchkey/contracts';
import type { IncomingMessage } from '@latchkey/messaging';
import { InMemoryTokenReadModel } from '../cache/in-memory-token-read-model';
import { MemoryTokenCache } from '../cache/memory-token.cache';
import { aTokenView } from '../cache/test-fixtures';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { MAX_PENDING_READ_MODEL_WRITES, TokenEventApplier } from './token-event.applier';

function anEvent(type: TokenEvent['type'], version: number, status: 'active' | 'revoked' = 'active'): TokenEvent {
  const state = aTokenView({ version, status });
  return {
    eventId: `e${version}`,
    type,
    aggregateType: 'token',
    aggregateId: state.id,
    version,
    occurredAt: '2030-01-01T00:00:00.000Z',
    actor: { userId: 'alice', via: 'oidc' },
    data: {},
    state,
  } as TokenEvent;
}

const message = (value: unknown): IncomingMessage => ({
  topic: 't',
  partition: 0,
  offset: '0',
  key: 'k',
  value: typeof value === 'string' ? value : JSON.stringify(value),
  headers: {},
});

function setup() {
  const memory = new MemoryTokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 2000 });
  const readModel = new InMemoryTokenReadModel();
  const metrics = new ValidationMetrics(new Registry());
  return { memory, readModel, metrics, applier: new TokenEventApplier(memory, readModel, metrics) };
}

describe(TokenEventApplier.name, () => {
  it('applies a revocation announced on the fast lane; the topic copy after it changes nothing', async () => {
    const { memory, applier } = setup();
    await applier.handle(message(anEvent('TokenIssued', 1)));
    const applied: string[] = [];
    const acking = new TokenEventApplier(memory, new InMemoryTokenReadModel(), new ValidationMetrics(new Registry()), { onApplied: (e) => applied.push(e.eventId) });
    expect(await acking.applyAnnounced(JSON.stringify(anEvent('TokenRevoked', 2, 'revoked')))).toBe(true);
    expect(memory.getToken(aTokenView().id)?.status).toBe('revoked');
    await acking.handle(message(anEvent('TokenIssued', 1)));
    expect(memory.getToken(aTokenView().id)).toMatchObject({ status: 'revoked', version: 2 });
    expect(applied).toEqual(['e2', 'e1']);
  });

  it('skips announcements that are not token events, and counts them', async () => {
    const { memory, applier, metrics } = setup();
    expect(await applier.applyAnnounced('{not json')).toBe(false);
    expect(await applier.applyAnnounced(JSON.stringify({ type: 'Heartbeat' }))).toBe(false);
    const wrongState = { ...anEvent('TokenRevoked', 2, 'revoked'), aggregateId: 'someone-else' };
    expect(await applier.applyAnnounced(JSON.stringify(wrongState))).toBe(false);
    expect(memory.size.tokens).toBe(0);
    const skipped = (await metrics.eventsSkipped.get()).values.map((v) => [v.labels.reason, v.value]);
    expect(skipped).toEqual([
      ['not-json', 1],
      ['not-a-token-event', 2],
    ]);
  });

  it('applies a revocation to memory and the read model', async () => {
    const { memory, readModel, applier, metrics } = setup();
    await applier.handle(message(anEvent('TokenIssued', 1)));
    await applier.handle(message(anEvent('TokenRevoked', 2, 'revoked')));
    expect(memory.getToken(aTokenView().id)?.status).toBe('revoked');
    await applier.flush();
    expect(readModel.tokens.get(aTokenView().id)?.status).toBe('revoked');
    expect((await metrics.eventsApplied.get()).values[0].value).toBe(2);
  });

  it('applies the next event while a read-model write still hangs, and flush() waits for the write', async () => {
    const { memory, readModel, metrics } = setup();
    let release!: () => void;
    const hanging = new Promise<void>((r) => (release = r));
    const slow = Object.assign(Object.create(readModel) as InMemoryTokenReadModel, {
      saveToken: async (view: Parameters<InMemoryTokenReadModel['saveToken']>[0]) => {
        await hanging;
        return readModel.saveToken(view);
      },
    });
    const applier = new TokenEventApplier(memory, slow, metrics);
    await applier.handle(message(anEvent('TokenIssued', 1)));
    await applier.handle(message(anEvent('TokenRevoked', 2, 'revoked')));
    expect(memory.getToken(aTokenView().id)?.status).toBe('revoked');
    expect(readModel.tokens.size).toBe(0);
    let flushed = false;
    const flushing = applier.flush().then(() => (flushed = true));
    await Promise.resolve();
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(readModel.tokens.get(aTokenView().id)?.version).toBe(2);
  });

  it(`waits for a write once ${MAX_PENDING_READ_MODEL_WRITES} are pending`, async () => {
    const { memory, readModel, metrics } = setup();
    const releases: Array<() => void> = [];
    const slow = Object.assign(Object.create(readModel) as InMemoryTokenReadModel, {
      saveToken: () => new Promise<boolean>((r) => releases.push(() => r(true))),
    });
    const applier = new TokenEventApplier(memory, slow, metrics);
    for (let v = 1; v < MAX_PENDING_READ_MODEL_WRITES; v++) await applier.handle(message(anEvent('TokenRenamed', v)));
    let returned = false;
    const last = applier.handle(message(anEvent('TokenRenamed', MAX_PENDING_READ_MODEL_WRITES))).then(() => (returned = true));
    await new Promise((r) => setImmediate(r));
    expect(returned).toBe(false);
    expect(memory.getToken(aTokenView().id)?.version).toBe(MAX_PENDING_READ_MODEL_WRITES); // applied, only the handler waits
    releases[0]();
    await last;
    for (const release of releases) release();
    await applier.flush();
  });

  it('ignores an older event arriving late', async () => {
    const { memory, readModel, applier } = setup();
    await applier.handle(message(anEvent('TokenRevoked', 2, 'revoked')));
    await applier.handle(message(anEvent('TokenIssued', 1)));
    await applier.flush();
    expect(memory.getToken(aTokenView().id)?.version).toBe(2);
    expect(readModel.tokens.get(aTokenView().id)?.version).toBe(2);
  });

  it('forgets remembered 404s when a token is issued', async () => {
    const { memory, applier } = setup();
    memory.rememberMissing('h', memory.currentNegativeEpoch());
    await applier.handle(message(anEvent('TokenIssued', 1)));
    expect(memory.isKnownMissing('h')).toBe(false);
  });

  it('still applies to memory when Redis is down', async () => {
    const { memory, readModel, applier, metrics } = setup();
    readModel.failing = true;
    await applier.handle(message(anEvent('TokenRevoked', 2, 'revoked')));
    expect(memory.getToken(aTokenView().id)?.status).toBe('revoked');
    await applier.flush();
    expect((await metrics.readModelWriteFailures.get()).values[0].value).toBe(1);
  });

  it.each(['not json', { hello: 'world' }, { ...anEvent('TokenIssued', 1), aggregateType: 'policy' }])(
    'skips %j without failing',
    async (value) => {
      const { applier, metrics, memory } = setup();
      await expect(applier.handle(message(value))).resolves.toBeUndefined();
      expect(memory.size.tokens).toBe(0);
      expect((await metrics.eventsSkipped.get()).values).toHaveLength(1);
    },
  );
});

describe(`${TokenEventApplier.name} hooks`, () => {
  const heartbeat = { type: 'Heartbeat', aggregateType: 'heartbeat', source: 'ts', sentAt: '2030-01-01T00:00:00.000Z', partition: 2, partitions: 3, seq: 7 };

  it('passes heartbeats to the freshness hook and applies nothing', async () => {
    const memory = new MemoryTokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 2000 });
    const readModel = new InMemoryTokenReadModel();
    const metrics = new ValidationMetrics(new Registry());
    const seen: Array<[number, number]> = [];
    const applier = new TokenEventApplier(memory, readModel, metrics, { onHeartbeat: (h, p) => seen.push([h.seq, p]) });
    await applier.handle({ ...message(heartbeat), partition: 2, headers: { 'latchkey-event-type': 'Heartbeat' } });
    await applier.handle({ ...message('garbage'), headers: { 'latchkey-event-type': 'Heartbeat' } });
    expect(seen).toEqual([[7, 2]]);
    expect(readModel.calls).toBe(0);
    expect((await metrics.eventsApplied.get()).values[0]?.value ?? 0).toBe(0);
    expect((await metrics.eventsSkipped.get()).values.length).toBe(0);
  });

  it('calls onApplied after the memory update, once per event', async () => {
    const memory = new MemoryTokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 2000 });
    const applied: string[] = [];
    const applier = new TokenEventApplier(memory, new InMemoryTokenReadModel(), new ValidationMetrics(new Registry()), {
      onApplied: (e) => applied.push(`${e.eventId}:${memory.getToken(e.aggregateId)?.status}`),
    });
    await applier.handle(message(anEvent('TokenIssued', 1)));
    await applier.handle(message(anEvent('TokenRevoked', 2, 'revoked')));
    expect(applied).toEqual(['e1:active', 'e2:revoked']);
  });
});
