import { readFileSync } from 'node:fs';
import { ServiceProcess, ServiceProcessOptions, uniqueName } from '@latchkey/testing';

/** A service whose dependency is not reachable at start says which one and exits non-zero: no crash loop, no stack. */
describe('start-up with an unreachable dependency', () => {
  const cases: Array<{ app: ServiceProcessOptions['app']; env: Record<string, string>; says: RegExp }> = [
    { app: 'token-service', env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/latchkey' }, says: /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/latchkey is not reachable/ },
    { app: 'token-service', env: { KAFKA_BROKERS: '127.0.0.1:1' }, says: /Kafka at 127\.0\.0\.1:1 is not reachable/ },
    { app: 'validation-service', env: { REDIS_URL: 'redis://127.0.0.1:1' }, says: /Redis at redis:\/\/127\.0\.0\.1:1 is not reachable/ },
    { app: 'audit-service', env: { DATABASE_URL: 'postgres://postgres:secret-pw@127.0.0.1:1/latchkey' }, says: /PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/latchkey is not reachable/ },
    { app: 'policy-service', env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/latchkey' }, says: /PostgreSQL at .* is not reachable/ },
  ];

  it.each(cases)('$app exits 1 and names the missing dependency ($env)', async ({ app, env, says }) => {
    const svc = new ServiceProcess({ app, port: 4090, env: { ...env, LATCHKEY_TOPIC_NAMESPACE: uniqueName('unreachable') }, label: uniqueName(`unreachable-${app}`) });
    await svc.start({ waitReady: false });
    expect(await svc.waitForExit(30_000)).toBe(1);
    const log = readFileSync(svc.logFile, 'utf8');
    expect(log).toMatch(says);
    expect(log).not.toMatch(/^\s+at /m); // a clear line, not a stack trace
    expect(log).not.toContain('secret-pw');
  });

  it('refuses an invalid configuration with the variable named', async () => {
    const svc = new ServiceProcess({ app: 'token-service', port: 4091, env: { LATCHKEY_TOKEN_PREFIX: 'BAD PREFIX' }, label: uniqueName('bad-config') });
    await svc.start({ waitReady: false });
    expect(await svc.waitForExit(30_000)).toBe(1);
    expect(readFileSync(svc.logFile, 'utf8')).toContain('LATCHKEY_TOKEN_PREFIX');
  });
});
