import { IssueTokenResponse } from '@latchkey/contracts';
import { KafkaBroker, ServiceProcess, waitFor } from '@latchkey/testing';
import { api, clientAuthorization, startSystem, System, validate } from './system';

const MAX_STALENESS_MS = 5000;

async function readiness(v: ServiceProcess): Promise<{ status: number; freshness?: { stale?: boolean } }> {
  const res = await v.fetch('/health/ready');
  const body = (await res.json()) as { info?: Record<string, { stale?: boolean }>; error?: Record<string, { stale?: boolean }> };
  return { status: res.status, freshness: body.error?.freshness ?? body.info?.freshness };
}

async function rawValidate(v: ServiceProcess, token: string): Promise<number> {
  const res = await v.fetch('/v1/validate', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: clientAuthorization() },
    body: JSON.stringify({ token, method: 'GET', path: '/x', ip: '10.1.2.3' }),
  });
  await res.body?.cancel();
  return res.status;
}

/**
 * Bounded staleness: with the broker gone, a replica stops trusting its caches within
 * LATCHKEY_MAX_STALENESS_MS + 1 s; in verify mode it asks token-service (so a revoke made meanwhile is honoured), in
 * deny mode it refuses to vouch for any token; readiness says stale; with the broker back it recovers by itself.
 */
describe('validation replica without Kafka (bounded staleness)', () => {
  let system: System;
  let denyReplica: ServiceProcess;
  const kafkaBroker = KafkaBroker.private();

  beforeAll(async () => {
    await kafkaBroker.start();
    system = await startSystem({ validators: 1, kafkaBrokers: kafkaBroker.brokers, validatorEnv: { LATCHKEY_MAX_STALENESS_MS: String(MAX_STALENESS_MS) } });
    denyReplica = await system.another('validation-service', { LATCHKEY_MAX_STALENESS_MS: String(MAX_STALENESS_MS), LATCHKEY_STALE_MODE: 'deny' }).start();
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await kafkaBroker.destroy();
  }, 120_000);

  it('switches to the source of truth within the bound, honours a revoke made meanwhile, and recovers', async () => {
    const [verifyReplica] = system.validators;
    const admin = system.bootstrapToken();
    const issue = async (name: string) => (await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name, scopes: ['read'], expiresInDays: 1 })).body;
    const doomed = await issue('revoked-while-stale');
    const kept = await issue('kept');
    for (const v of [verifyReplica, denyReplica]) {
      for (const t of [doomed, kept]) await waitFor(async () => (await validate(v, { token: t.secret })).code === 'VALID', { what: 'VALID before the outage' });
    }
    expect((await readiness(verifyReplica)).status).toBe(200);

    // watch readiness from before the broker goes, so the switch time is measured, not guessed
    const stopStarted = Date.now();
    let staleAt = 0;
    const watcher = waitFor(async () => ((await readiness(verifyReplica)).freshness?.stale ? (staleAt = Date.now()) : 0), {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: 'readiness to report stale',
    });
    await kafkaBroker.stop();
    await watcher;
    const switchMs = staleAt - stopStarted;
    console.log(`staleness switch: readiness reported stale ${switchMs} ms after the broker stop began (bound ${MAX_STALENESS_MS} ms + 1 s)`);
    expect(switchMs).toBeLessThanOrEqual(MAX_STALENESS_MS + 1000);
    const ready = await readiness(verifyReplica);
    expect(ready).toMatchObject({ status: 503, freshness: { stale: true } });

    // revoked in the source of truth only: the event cannot reach Kafka
    const revoke = await api(system.token, 'DELETE', `/v1/tokens/${doomed.token.id}`, admin);
    expect(revoke.status).toBe(200);
    await expect(validate(verifyReplica, { token: doomed.secret })).resolves.toMatchObject({ valid: false, code: 'REVOKED' });
    await expect(validate(verifyReplica, { token: kept.secret })).resolves.toMatchObject({ valid: true, code: 'VALID' });

    // deny mode: no cached "valid" is vouched for while stale
    await waitFor(async () => (await rawValidate(denyReplica, kept.secret)) === 503, { timeoutMs: MAX_STALENESS_MS + 2000, what: 'deny mode to refuse' });

    await kafkaBroker.start();
    await waitFor(async () => (await readiness(verifyReplica)).status === 200, { timeoutMs: 90_000, intervalMs: 200, what: 'the verify replica to recover' });
    await waitFor(async () => (await readiness(denyReplica)).status === 200, { timeoutMs: 90_000, intervalMs: 200, what: 'the deny replica to recover' });
    for (const v of [verifyReplica, denyReplica]) {
      await expect(validate(v, { token: doomed.secret })).resolves.toMatchObject({ code: 'REVOKED' });
      await expect(validate(v, { token: kept.secret })).resolves.toMatchObject({ code: 'VALID' });
    }
  });
});
