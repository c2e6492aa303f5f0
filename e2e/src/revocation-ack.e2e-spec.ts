import Redis from 'ioredis';
import { IssueTokenResponse, replicasKey, TokenDetails } from '@latchkey/contracts';
import { api, startSystem, System, validate, waitFor } from '@latchkey/testing';

type RevokeAnswer = { token: { status: string }; propagation: { replicas: number; confirmed: number; waitedMs: number } };

/**
 * A revoke answers only once every live validation replica has applied it (or after a bound), and says so;
 * validators' usage batches reach the token's "last used" fields.
 */
describe('acknowledged revocation with three validator replicas', () => {
  let system: System;
  let admin: string;

  beforeAll(async () => {
    system = await startSystem({ validators: 3, tokenEnv: { LATCHKEY_REVOKE_WAIT_MS: '1500' } });
    admin = system.bootstrapToken();
    // live = announced in the replicas set (every second, once caught up)
    const redis = new Redis(system.env.REDIS_URL);
    try {
      await waitFor(async () => (await redis.zcard(replicasKey(system.namespace))) === 3, { timeoutMs: 10_000, what: 'three live replicas' });
    } finally {
      redis.disconnect();
    }
  }, 180_000);

  afterAll(async () => {
    for (const v of system?.validators ?? []) v.signal('SIGCONT');
    await system?.stop();
  }, 60_000);

  const issue = async (name: string) => (await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name, scopes: ['read'] })).body;

  it('answers with confirmed == replicas once all three applied the revoke, and they all refuse it', async () => {
    const { token, secret } = await issue('acked');
    for (const v of system.validators) await expect(validate(v, { token: secret })).resolves.toMatchObject({ code: 'VALID' });
    const started = performance.now();
    const res = await api<RevokeAnswer>(system.token, 'DELETE', `/v1/tokens/${token.id}`, admin);
    const tookMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.propagation).toMatchObject({ replicas: 3, confirmed: 3 });
    console.log(`acknowledged revoke: ${res.body.propagation.confirmed}/${res.body.propagation.replicas} replicas in ${res.body.propagation.waitedMs} ms (call ${tookMs.toFixed(1)} ms)`);
    // "after a revoke answers, no replica accepts the token": no waiting here
    for (const v of system.validators) await expect(validate(v, { token: secret })).resolves.toMatchObject({ code: 'REVOKED' });
  });

  it('answers without waiting with ?wait=false', async () => {
    const { token } = await issue('no wait');
    const res = await api<RevokeAnswer>(system.token, 'DELETE', `/v1/tokens/${token.id}?wait=false`, admin);
    expect(res.status).toBe(200);
    expect(res.body.propagation.waitedMs).toBe(0);
  });

  it('answers 200 after the bound with confirmed < replicas when one replica is frozen', async () => {
    const { token } = await issue('frozen');
    const frozen = system.validators[2];
    frozen.signal('SIGSTOP');
    try {
      const res = await api<RevokeAnswer>(system.token, 'DELETE', `/v1/tokens/${token.id}`, admin);
      expect(res.status).toBe(200);
      expect(res.body.token.status).toBe('revoked');
      expect(res.body.propagation.replicas).toBe(3);
      expect(res.body.propagation.confirmed).toBe(2);
      expect(res.body.propagation.waitedMs).toBeGreaterThanOrEqual(1400);
    } finally {
      frozen.signal('SIGCONT');
    }
  });

  it("folds validators' usage into the token's last use", async () => {
    const { token, secret } = await issue('used');
    const v = system.validators[0];
    for (let i = 0; i < 3; i++) await validate(v, { token: secret, ip: '192.0.2.44', userAgent: 'e2e-agent/1.0' });
    const seen = await waitFor(
      async () => {
        const details = (await api<TokenDetails>(system.token, 'GET', `/v1/tokens/${token.id}`, admin)).body;
        return details.useCount >= 3 ? details : null;
      },
      { timeoutMs: 15_000, intervalMs: 200, what: 'usage to reach token-service' },
    );
    expect(seen).toMatchObject({ useCount: 3, lastUsedIp: '192.0.2.44', lastUsedUserAgent: 'e2e-agent/1.0' });
    expect(Date.parse(seen.lastUsedAt as string)).toBeGreaterThan(Date.now() - 60_000);
  });
});
