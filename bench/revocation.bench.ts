import { Agent, request } from 'node:http';
import { Worker } from 'node:worker_threads';
import { IssueTokenResponse } from '@latchkey/contracts';
import { api, clientAuthorization, ServiceProcess, startSystem, System } from '@latchkey/testing';
import { percentile, report } from './report';

/**
 * `npm run bench:revocation`: three validation replicas under validation load; 200 revocations one after another;
 * for each, the time from the start of the revoke call to the last replica answering REVOKED (target: p99 ≤ 50 ms).
 *
 * The load runs in a worker thread with its own event loop (12 callers paced to BENCH_LOAD_RPS, default 1500/s, about
 * what the former unpaced fetch callers reached), and the timed calls (the revoke, then asking every replica back to
 * back until it answers REVOKED) go through node:http with keep-alive. With all of it in jest's event loop (undici
 * fetch), a response that had arrived waited there 9-15 ms (median) for the load's callbacks, which the figure then
 * counted as propagation.
 */
const REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? 200);
const LOAD_CALLERS_PER_REPLICA = 4;
/** validations per second the load aims at, over all replicas (the callers pace themselves; the report says what was reached) */
const LOAD_TARGET_RPS = Number(process.env.BENCH_LOAD_RPS ?? 1500);

/** Plain JavaScript (a worker runs outside ts-jest): paced POST /v1/validate callers until told to stop. */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const { urls, tokens, callersPerReplica, targetRps, authorization } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
let stop = false;
let done = 0;
const began = performance.now();
parentPort.on('message', () => (stop = true));
const post = (url, token) => new Promise((resolve) => {
  const body = JSON.stringify({ token, method: 'GET', path: '/x', ip: '10.0.0.1' });
  const req = request(url + '/v1/validate', { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization } }, (res) => {
    res.resume();
    res.on('end', resolve);
  });
  req.on('error', resolve);
  req.end(body);
});
const callers = urls.length * callersPerReplica;
const gapMs = (1000 * callers) / targetRps;
Promise.all(urls.flatMap((url) => Array.from({ length: callersPerReplica }, async (_, i) => {
  const start = performance.now();
  for (let n = 1; !stop; n++) {
    await post(url, tokens[i % tokens.length]);
    done++;
    const ahead = start + n * gapMs - performance.now();
    if (ahead > 1) await new Promise((r) => setTimeout(r, ahead));
  }
}))).then(() => parentPort.postMessage({ requests: done, seconds: (performance.now() - began) / 1000 }));
`;

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function call(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('bench: revocation propagation', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem({ validators: 3, validatorEnv: { LOG_LEVEL: 'warn' } });
  }, 180_000);

  afterAll(async () => {
    agent.destroy();
    await system?.stop();
  }, 60_000);

  const code = async (v: ServiceProcess, token: string): Promise<string> => {
    const body = JSON.stringify({ token, method: 'GET', path: '/x', ip: '10.0.0.1' });
    const res = await call(v.baseUrl, 'POST', '/v1/validate', { 'content-type': 'application/json', authorization: clientAuthorization() }, body);
    return (JSON.parse(res.text) as { code: string }).code;
  };

  /** asks the replica until it answers REVOKED, back to back (no sleep between asks); resolves with the number of asks */
  const untilRevoked = async (v: ServiceProcess, token: string): Promise<number> => {
    const deadline = performance.now() + 10_000;
    for (let asks = 1; ; asks++) {
      if ((await code(v, token)) === 'REVOKED') return asks;
      if (performance.now() > deadline) throw new Error(`${v.baseUrl} still accepts a revoked token after 10 s`);
    }
  };

  it(`propagates ${REVOCATIONS} revocations to 3 replicas under load`, async () => {
    const admin = system.bootstrapToken();
    const issue = async (name: string) => (await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name, scopes: ['read'], expiresInDays: 1 })).body;
    const doomed: IssueTokenResponse[] = [];
    for (let i = 0; i < REVOCATIONS; i++) doomed.push(await issue(`doomed-${i}`));
    const background = await Promise.all([1, 2, 3, 4].map((i) => issue(`load-${i}`)));
    for (const v of system.validators) {
      for (const t of [...doomed, ...background]) {
        const deadline = performance.now() + 10_000;
        while ((await code(v, t.secret)) !== 'VALID') {
          if (performance.now() > deadline) throw new Error(`${v.baseUrl} does not know token ${t.token.id}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      }
    }

    const load = new Worker(LOAD_WORKER, {
      eval: true,
      workerData: {
        urls: system.validators.map((v) => v.baseUrl),
        tokens: background.map((t) => t.secret),
        callersPerReplica: LOAD_CALLERS_PER_REPLICA,
        targetRps: LOAD_TARGET_RPS,
        authorization: clientAuthorization(),
      },
    });
    const loadDone = new Promise<{ requests: number; seconds: number }>((resolve, reject) => {
      load.once('message', resolve);
      load.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 1_000)); // the load is running before the first revocation

    const propagation: number[] = [];
    const callMs: number[] = [];
    const confirmations: string[] = [];
    const ackWaits: number[] = [];
    let revokedAtFirstAsk = 0;
    for (const t of doomed) {
      const t0 = performance.now();
      const res = await call(system.token.baseUrl, 'DELETE', `/v1/tokens/${t.token.id}`, { authorization: `Bearer ${admin}` });
      callMs.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`revoke answered ${res.status}: ${res.text}`);
      const body = JSON.parse(res.text) as { propagation?: { replicas: number; confirmed: number; waitedMs: number } };
      if (body.propagation) {
        confirmations.push(`${body.propagation.confirmed}/${body.propagation.replicas}`);
        ackWaits.push(body.propagation.waitedMs);
      }
      const asks = await Promise.all(system.validators.map((v) => untilRevoked(v, t.secret)));
      propagation.push(performance.now() - t0);
      if (asks.every((n) => n === 1)) revokedAtFirstAsk++;
    }
    load.postMessage('stop');
    const loadRun = await loadDone;
    await load.terminate();

    const tally = new Map<string, number>();
    for (const c of confirmations) tally.set(c, (tally.get(c) ?? 0) + 1);
    report(`revocation: revoke call -> last of 3 replicas answering REVOKED (${REVOCATIONS} revocations, ${LOAD_CALLERS_PER_REPLICA * 3} load callers)`, {
      'p50 ms': percentile(propagation, 50),
      'p99 ms': percentile(propagation, 99),
      'max ms': Math.max(...propagation),
      'revoke call alone p50 / p99 ms': `${percentile(callMs, 50).toFixed(1)} / ${percentile(callMs, 99).toFixed(1)}`,
      'of which waiting for the acknowledgements p50 / p99 ms': `${percentile(ackWaits, 50)} / ${percentile(ackWaits, 99)}`,
      'answers where every replica said REVOKED at the first ask': `${revokedAtFirstAsk} of ${REVOCATIONS}`,
      'acknowledgements (confirmed/replicas: count)': [...tally].map(([k, n]) => `${k}: ${n}`).join(', ') || 'not reported',
      'validation load during the run, req/s (target)': `${Math.round(loadRun.requests / loadRun.seconds)} (${LOAD_TARGET_RPS})`,
    });
    expect(propagation).toHaveLength(REVOCATIONS);
  });
});
