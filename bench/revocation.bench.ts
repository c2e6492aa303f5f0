import { IssueTokenResponse } from '@latchkey/contracts';
import { api, clientAuthorization, ServiceProcess, startSystem, System, waitFor } from '@latchkey/testing';
import { percentile, report } from './report';

/**
 * `npm run bench:revocation`: three validation replicas under validation load; 200 revocations one after another;
 * for each, the time from the revoke call to the last replica answering REVOKED (DESIGN.md §7: p99 ≤ 50 ms).
 */
const REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? 200);
const LOAD_CALLERS_PER_REPLICA = 4;

describe('bench: revocation propagation', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem({ validators: 3, validatorEnv: { LOG_LEVEL: 'warn' } });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const code = async (v: ServiceProcess, token: string): Promise<string> => {
    const res = await v.fetch('/v1/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: clientAuthorization() },
      body: JSON.stringify({ token, method: 'GET', path: '/x', ip: '10.0.0.1' }),
    });
    return ((await res.json()) as { code: string }).code;
  };

  it(`propagates ${REVOCATIONS} revocations to 3 replicas under load`, async () => {
    const admin = system.bootstrapToken();
    const issue = async (name: string) => (await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name, scopes: ['read'], expiresInDays: 1 })).body;
    const doomed: IssueTokenResponse[] = [];
    for (let i = 0; i < REVOCATIONS; i++) doomed.push(await issue(`doomed-${i}`));
    const background = await Promise.all([1, 2, 3, 4].map((i) => issue(`load-${i}`)));
    for (const v of system.validators) {
      for (const t of [...doomed, ...background]) await waitFor(async () => (await code(v, t.secret)) === 'VALID', { what: 'warm' });
    }

    let stop = false;
    let loadRequests = 0;
    const loads = system.validators.flatMap((v) =>
      Array.from({ length: LOAD_CALLERS_PER_REPLICA }, async (_, i) => {
        while (!stop) {
          await code(v, background[i % background.length].secret);
          loadRequests++;
        }
      }),
    );

    const propagation: number[] = [];
    const callMs: number[] = [];
    const confirmations: string[] = [];
    const started = performance.now();
    for (const t of doomed) {
      const t0 = performance.now();
      const res = await api<{ propagation?: { replicas: number; confirmed: number } }>(system.token, 'DELETE', `/v1/tokens/${t.token.id}`, admin);
      callMs.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`revoke answered ${res.status}`);
      if (res.body.propagation) confirmations.push(`${res.body.propagation.confirmed}/${res.body.propagation.replicas}`);
      await Promise.all(
        system.validators.map((v) => waitFor(async () => (await code(v, t.secret)) === 'REVOKED', { timeoutMs: 10_000, intervalMs: 1, what: 'REVOKED' })),
      );
      propagation.push(performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    stop = true;
    await Promise.all(loads);

    const tally = new Map<string, number>();
    for (const c of confirmations) tally.set(c, (tally.get(c) ?? 0) + 1);
    report(`revocation: revoke call -> last of 3 replicas answering REVOKED (${REVOCATIONS} revocations, ${LOAD_CALLERS_PER_REPLICA * 3} load callers)`, {
      'p50 ms': percentile(propagation, 50),
      'p99 ms': percentile(propagation, 99),
      'max ms': Math.max(...propagation),
      'revoke call alone p50 / p99 ms': `${percentile(callMs, 50).toFixed(1)} / ${percentile(callMs, 99).toFixed(1)}`,
      'acknowledgements (confirmed/replicas: count)': [...tally].map(([k, n]) => `${k}: ${n}`).join(', ') || 'not reported',
      'validation load during the run, req/s': Math.round(loadRequests / seconds),
    });
    expect(propagation).toHaveLength(REVOCATIONS);
  });
});
