import Redis from 'ioredis';
import { IssueTokenResponse } from '@latchkey/contracts';
import { hashToken } from '@latchkey/token-format';
import { RedisServer, ServiceProcess, waitFor } from '@latchkey/testing';
import { api, clientAuthorization, startSystem, System } from './system';

async function counter(v: ServiceProcess, name: string, label: string): Promise<number> {
  const text = await (await v.fetch('/metrics')).text();
  let total = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`) && line.includes(label)) total += Number(line.split(' ').pop());
  return total;
}

/** Redis is a cache, not a dependency of correctness: stopped mid-load, answers stay right; back, it is used again. */
describe('validation with Redis stopped mid-load', () => {
  let system: System;
  const redis = new RedisServer();

  beforeAll(async () => {
    await redis.start();
    system = await startSystem({ validators: 2, redisUrl: redis.url });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await redis.stop();
  }, 60_000);

  it('keeps answering correctly while Redis is down, and uses it again once back', async () => {
    const [v1, v2] = system.validators;
    const admin = system.bootstrapToken();
    const issue = async (name: string) => (await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name, scopes: ['read'], expiresInDays: 1 })).body;
    const good = await Promise.all([1, 2, 3].map((i) => issue(`good-${i}`)));
    const bad = await issue('revoked');
    await api(system.token, 'DELETE', `/v1/tokens/${bad.token.id}`, admin);
    const expected = new Map<string, string>([...good.map((t) => [t.secret, 'VALID'] as [string, string]), [bad.secret, 'REVOKED']]);

    let stop = false;
    const answers = { ok: 0, wrong: [] as string[], status: new Map<number, number>() };
    const load = async (v: ServiceProcess) => {
      const secrets = [...expected.keys()];
      for (let i = 0; !stop; i++) {
        const secret = secrets[i % secrets.length];
        const res = await v.fetch('/v1/validate', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: clientAuthorization() },
          body: JSON.stringify({ token: secret, method: 'GET', path: '/x', ip: '10.0.0.1' }),
        });
        answers.status.set(res.status, (answers.status.get(res.status) ?? 0) + 1);
        const body = (await res.json()) as { code?: string };
        if (res.status === 200 && body.code === expected.get(secret)) answers.ok++;
        else if (res.status === 200) answers.wrong.push(`${body.code} for ${expected.get(secret)}`);
      }
    };
    await waitFor(async () => {
      const r = await v1.fetch('/v1/validate', { method: 'POST', headers: { 'content-type': 'application/json', authorization: clientAuthorization() }, body: JSON.stringify({ token: bad.secret, method: 'GET', path: '/', ip: '10.0.0.1' }) });
      return ((await r.json()) as { code: string }).code === 'REVOKED';
    }, { what: 'the revocation applied' });
    const loads = [load(v1), load(v1), load(v2), load(v2)];

    await waitFor(() => answers.ok > 200, { timeoutMs: 20_000, what: 'load running' });
    await redis.stop();
    const okBefore = answers.ok;
    // a token nobody has seen yet while Redis is down: the source answers
    const fresh = await issue('issued-while-redis-down');
    expected.set(fresh.secret, 'VALID');
    await waitFor(() => answers.ok > okBefore + 500, { timeoutMs: 30_000, what: 'answers while Redis is down' });
    const ready = await v1.fetch('/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: { redis: { status: 'down' } } });

    await redis.start();
    await waitFor(async () => (await v1.fetch('/health/ready')).status === 200, { timeoutMs: 30_000, what: 'v1 ready again' });
    stop = true;
    await Promise.all(loads);
    expect(answers.wrong).toEqual([]);
    expect([...answers.status.keys()]).toEqual([200]);

    // Redis used again: v1 fills it from the source, v2 then finds the token there
    const later = await issue('after-redis-back');
    const ask = async (v: ServiceProcess) =>
      (await (await v.fetch('/v1/validate', { method: 'POST', headers: { 'content-type': 'application/json', authorization: clientAuthorization() }, body: JSON.stringify({ token: later.secret, method: 'GET', path: '/', ip: '10.0.0.1' }) })).json()) as { code: string };
    const redisHitsBefore = await counter(v2, 'latchkey_validation_lookups_total', 'layer="redis"');
    await waitFor(async () => (await ask(v1)).code === 'VALID', { what: 'v1 VALID' });
    const client = new Redis(redis.url);
    try {
      const key = `lk:vs:{${system.namespace}}:hash:${hashToken(system.env.LATCHKEY_PEPPER, later.secret)}`;
      await waitFor(async () => (await client.exists(key)) === 1, { what: 'v1 to write the lookup to Redis' });
    } finally {
      client.disconnect();
    }
    await waitFor(async () => (await ask(v2)).code === 'VALID', { what: 'v2 VALID' });
    expect(await counter(v2, 'latchkey_validation_lookups_total', 'layer="redis"')).toBe(redisHitsBefore + 1);
    console.log(`redis outage: ${answers.ok} correct answers, none wrong, statuses ${JSON.stringify([...answers.status])}`);
  });
});
