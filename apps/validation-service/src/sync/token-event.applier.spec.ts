import { Registry } from 'prom-client';
import type { TokenEvent } from '@latchkey/contracts';
import type { IncomingMessage } from '@latchkey/messaging';
import { InMemoryTokenReadModel } from '../cache/in-memory-token-read-model';
import { MemoryTokenCache } from '../cache/memory-token.cache';
import { aTokenView } from '../cache/test-fixtures';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { TokenEventApplier } from './token-event.applier';

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
  it('applies a revocation to memory and the read model', async () => {
    const { memory, readModel, applier, metrics } = setup();
    await applier.handle(message(anEvent('TokenIssued', 1)));
    await applier.handle(message(anEvent('TokenRevoked', 2, 'revoked')));
    expect(memory.getToken(aTokenView().id)?.status).toBe('revoked');
    expect(readModel.tokens.get(aTokenView().id)?.status).toBe('revoked');
    expect((await metrics.eventsApplied.get()).values[0].value).toBe(2);
  });

  it('ignores an older event arriving late', async () => {
    const { memory, readModel, applier } = setup();
    await applier.handle(message(anEvent('TokenRevoked', 2, 'revoked')));
    await applier.handle(message(anEvent('TokenIssued', 1)));
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
