import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { AppliedEventNotice, appliedChannel, Heartbeat, HEARTBEAT_HEADERS, replicasKey, revocationChannel, TokenEvent, Topics, topicName, TokenView } from '@latchkey/contracts';
import { generateToken, hashToken } from '@latchkey/token-format';
import { aTokenView, infraDefaults, waitFor } from '@latchkey/testing';
import { createAppModule } from '../app.module';
import { RedisTokenReadModel } from '../cache/redis/redis-token-read-model';
import { SourceUnavailableError, TOKEN_READ_MODEL } from '../cache/token-read-model.port';
import { loadValidationServiceConfig } from '../config/validation-service.config';
import { ValidationService } from '../decision/validation.service';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { StalenessService } from '../staleness/staleness.service';
import { TokenSyncConsumer } from './token-sync.consumer';

const namespace = `it-vs-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const config = loadValidationServiceConfig({
  LOG_LEVEL: 'silent',
  LATCHKEY_TOPIC_NAMESPACE: namespace,
  REDIS_URL: infraDefaults.redisUrl,
  KAFKA_BROKERS: infraDefaults.kafkaBrokers.join(','),
  // never reached: the read model knows the hash, and the source must not be needed
  TOKEN_SERVICE_URL: 'http://127.0.0.1:1',
  LATCHKEY_MAX_STALENESS_MS: '1500',
  LATCHKEY_REPLICA_ID: `it-${namespace}`,
});
const topic = topicName(Topics.token, namespace);

function tokenEvent(type: 'TokenIssued' | 'TokenRevoked', state: TokenView): TokenEvent {
  return {
    eventId: randomUUID(),
    type,
    aggregateType: 'token',
    aggregateId: state.id,
    version: state.version,
    occurredAt: new Date().toISOString(),
    actor: { userId: 'alice', via: 'oidc' },
    data: type === 'TokenRevoked' ? { reason: 'test' } : { name: state.name, ownerId: state.ownerId, scopes: state.scopes, allowedCidrs: [], expiresAt: null, hint: state.hint },
    state,
  } as TokenEvent;
}

describe('token sync (Redis read model + Kafka consumer)', () => {
  let app: INestApplicationContext;
  let producer: Producer;
  let redis: Redis;
  let subscriber: Redis;
  const notices: AppliedEventNotice[] = [];
  let heartbeats: NodeJS.Timeout | null = null;
  let seq = 0;

  // what token-service's HeartbeatModule does: one heartbeat per partition
  const sendHeartbeats = () => {
    const round = ++seq;
    const value = (partition: number): Heartbeat => ({
      type: 'Heartbeat', aggregateType: 'heartbeat', source: 'int-spec', sentAt: new Date().toISOString(), partition, partitions: 3, seq: round,
    });
    return producer.send({ topic, messages: [0, 1, 2].map((p) => ({ partition: p, key: `heartbeat-${p}`, value: JSON.stringify(value(p)), headers: { ...HEARTBEAT_HEADERS } })) });
  };
  const startHeartbeats = () => {
    heartbeats = setInterval(() => void sendHeartbeats().catch(() => undefined), 300);
  };
  const stopHeartbeats = () => {
    if (heartbeats) clearInterval(heartbeats);
    heartbeats = null;
  };

  beforeAll(async () => {
    producer = new Kafka({ clientId: 'vs-int-spec', brokers: infraDefaults.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    redis = new Redis(infraDefaults.redisUrl);
    subscriber = new Redis(infraDefaults.redisUrl);
    await subscriber.subscribe(appliedChannel(namespace));
    subscriber.on('message', (_channel: string, message: string) => notices.push(JSON.parse(message) as AppliedEventNotice));
    app = await NestFactory.createApplicationContext(createAppModule(config), { logger: ['error'], abortOnError: false });
    await app.init();
    await app.get(TokenSyncConsumer).whenCaughtUp(30_000);
    startHeartbeats();
    await waitFor(() => !app.get(StalenessService).stale, { timeoutMs: 20_000, what: 'the replica to be current' });
  });

  afterAll(async () => {
    stopHeartbeats();
    subscriber?.disconnect();
    await producer?.disconnect();
    await app?.close();
    if (redis) {
      const keys = await redis.keys(`lk:vs:{${namespace}}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('applies TokenIssued then TokenRevoked, and the token is refused right after', async () => {
    const readModel = app.get<RedisTokenReadModel>(TOKEN_READ_MODEL);
    const validation = app.get(ValidationService);
    const secret = generateToken(randomBytes, config.LATCHKEY_TOKEN_PREFIX);
    const issued = aTokenView({ id: randomUUID(), name: 'int-spec', hint: 'lk_…' + secret.slice(-4), createdAt: new Date().toISOString() });
    // token-service's lookup would have recorded this mapping; the events carry no hash
    await redis.set(readModel.hashKey(hashToken(config.LATCHKEY_PEPPER, secret)), `${issued.id} 1`);
    const ask = () => validation.validate({ token: secret, method: 'GET', path: '/x', ip: '10.0.0.1' });

    await producer.send({ topic, messages: [{ key: issued.id, value: JSON.stringify(tokenEvent('TokenIssued', issued)) }] });
    await waitFor(async () => (await readModel.findToken(issued.id))?.version === 1, { what: 'TokenIssued in Redis' });
    expect(await ask()).toMatchObject({ valid: true, code: 'VALID', tokenId: issued.id, userId: 'alice' });

    const revoked: TokenView = { ...issued, status: 'revoked', revokedAt: new Date().toISOString(), revokedReason: 'test', version: 2 };
    await producer.send({ topic, messages: [{ key: issued.id, value: JSON.stringify(tokenEvent('TokenRevoked', revoked)) }] });
    await waitFor(async () => (await ask()).code === 'REVOKED', { what: 'REVOKED answer' });
    await waitFor(async () => (await readModel.findToken(issued.id))?.status === 'revoked', { what: 'TokenRevoked in Redis' });

    // a late, older event cannot bring it back
    await producer.send({ topic, messages: [{ key: issued.id, value: JSON.stringify(tokenEvent('TokenIssued', issued)) }] });
    const metrics = app.get(ValidationMetrics);
    await waitFor(async () => (await metrics.eventsApplied.get()).values[0]?.value === 3, { what: 'the late event applied' });
    expect((await readModel.findToken(issued.id))?.status).toBe('revoked');
    expect(await redis.hget(readModel.tokenKey(issued.id), 'v')).toBe('2');
  });

  it('announces itself as a live replica and acknowledges every applied event', async () => {
    await waitFor(async () => (await redis.zscore(replicasKey(namespace), config.LATCHKEY_REPLICA_ID)) !== null, { what: 'the replica in the liveness set' });
    const score = Number(await redis.zscore(replicasKey(namespace), config.LATCHKEY_REPLICA_ID));
    expect(Date.now() - score).toBeLessThan(3_000);
    const state = aTokenView({ id: randomUUID(), ownerId: 'bob', createdBy: 'bob', name: 'ack', createdAt: new Date().toISOString() });
    const issued = tokenEvent('TokenIssued', state);
    const revoked = tokenEvent('TokenRevoked', { ...state, status: 'revoked', version: 2 });
    await producer.send({ topic, messages: [issued, revoked].map((e) => ({ key: state.id, value: JSON.stringify(e) })) });
    await waitFor(() => notices.filter((n) => n.aggregateId === state.id).length === 2, { what: 'two applied notices' });
    expect(notices.filter((n) => n.aggregateId === state.id)).toEqual([
      { replicaId: config.LATCHKEY_REPLICA_ID, eventId: issued.eventId, aggregateId: state.id, version: 1 },
      { replicaId: config.LATCHKEY_REPLICA_ID, eventId: revoked.eventId, aggregateId: state.id, version: 2 },
    ]);
  });

  it('applies and acknowledges a revocation announced on the Redis fast lane, without the topic', async () => {
    const readModel = app.get<RedisTokenReadModel>(TOKEN_READ_MODEL);
    const validation = app.get(ValidationService);
    const secret = generateToken(randomBytes, config.LATCHKEY_TOKEN_PREFIX);
    const state = aTokenView({ id: randomUUID(), ownerId: 'dave', createdBy: 'dave', name: 'fast lane', createdAt: new Date().toISOString() });
    await redis.set(readModel.hashKey(hashToken(config.LATCHKEY_PEPPER, secret)), `${state.id} 1`);
    await producer.send({ topic, messages: [{ key: state.id, value: JSON.stringify(tokenEvent('TokenIssued', state)) }] });
    const ask = () => validation.validate({ token: secret, method: 'GET', path: '/x', ip: '10.0.0.1' });
    await waitFor(async () => (await ask()).code === 'VALID', { what: 'VALID' });

    // what token-service does right after a revocation commits; nothing goes to the topic
    const revoked = tokenEvent('TokenRevoked', { ...state, status: 'revoked', revokedAt: new Date().toISOString(), revokedReason: 'test', version: 2 });
    const receivers = await redis.publish(revocationChannel(namespace), JSON.stringify(revoked));
    expect(receivers).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await ask()).code === 'REVOKED', { timeoutMs: 2_000, intervalMs: 5, what: 'REVOKED from the fast lane' });
    await waitFor(() => notices.some((n) => n.eventId === revoked.eventId), { what: 'the applied notice' });
    await waitFor(async () => (await readModel.findToken(state.id))?.status === 'revoked', { what: 'the read model updated' });
  });

  it('turns stale without heartbeats (cached answers no longer trusted, out of the liveness set), and recovers', async () => {
    const readModel = app.get<RedisTokenReadModel>(TOKEN_READ_MODEL);
    const validation = app.get(ValidationService);
    const secret = generateToken(randomBytes, config.LATCHKEY_TOKEN_PREFIX);
    const state = aTokenView({ id: randomUUID(), ownerId: 'carol', createdBy: 'carol', name: 'stale', createdAt: new Date().toISOString() });
    await redis.set(readModel.hashKey(hashToken(config.LATCHKEY_PEPPER, secret)), `${state.id} 1`);
    await producer.send({ topic, messages: [{ key: state.id, value: JSON.stringify(tokenEvent('TokenIssued', state)) }] });
    const ask = () => validation.validate({ token: secret, method: 'GET', path: '/x', ip: '10.0.0.1' });
    await waitFor(async () => (await ask()).code === 'VALID', { what: 'VALID while current' });

    stopHeartbeats();
    const stoppedAt = Date.now();
    const staleness = app.get(StalenessService);
    await waitFor(() => staleness.stale, { timeoutMs: 5_000, intervalMs: 20, what: 'stale' });
    expect(Date.now() - stoppedAt).toBeLessThan(1500 + 1000);
    // verify mode: the source (unreachable here) must be asked; the cached VALID is not used
    await expect(ask()).rejects.toBeInstanceOf(SourceUnavailableError);
    await waitFor(async () => (await redis.zscore(replicasKey(namespace), config.LATCHKEY_REPLICA_ID)) === null, { what: 'out of the liveness set' });

    startHeartbeats();
    await waitFor(() => !staleness.stale, { timeoutMs: 10_000, what: 'current again' });
    expect((await ask()).code).toBe('VALID');
  });
});
