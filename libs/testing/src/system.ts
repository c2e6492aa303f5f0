import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, infraDefaults, uniqueName } from './infra';
import { ServiceProcess } from './service-process';

/** One whole Latchkey system of real processes on its own database and topic namespace. */
export interface System {
  namespace: string;
  databaseUrl: string;
  env: Record<string, string>;
  token: ServiceProcess;
  validators: ServiceProcess[];
  audit?: ServiceProcess;
  policy?: ServiceProcess;
  /** notification-service, when started with `notification: true` (point LATCHKEY_SMTP_URL at a test SMTP server via notificationEnv) */
  notification?: ServiceProcess;
  /** dev-idp, the OIDC issuer (LATCHKEY_OIDC_ISSUER) of every service, when started with `idp: true` */
  idp?: ServiceProcess;
  bootstrapToken(): string;
  /** another process of the same service on the same database and topics (not started) */
  another(app: 'token-service' | 'validation-service', env?: Record<string, string>): ServiceProcess;
  stop(): Promise<void>;
}

export const VALIDATE_CLIENT = { id: 'e2e', secret: 'e2e-client-secret-0123' };
/** the bearer secret policy-service's /scim/v2 accepts in a started system (LATCHKEY_SCIM_TOKEN) */
export const SYSTEM_SCIM_TOKEN = 'e2e-scim-token-0123456789';

let nextPort = 4100 + (process.pid % 50) * 20;

export async function startSystem(
  options: {
    validators?: number;
    audit?: boolean;
    policy?: boolean;
    kafkaBrokers?: string[];
    redisUrl?: string;
    /** extra environment for token-service (e.g. a short expiry interval) */
    tokenEnv?: Record<string, string>;
    validatorEnv?: Record<string, string>;
    auditEnv?: Record<string, string>;
    policyEnv?: Record<string, string>;
    notification?: boolean;
    notificationEnv?: Record<string, string>;
    /** start dev-idp first and pass LATCHKEY_OIDC_ISSUER to the services (sign in with oidcLogin({ issuer: system.idp.baseUrl, user })) */
    idp?: boolean;
  } = {},
): Promise<System> {
  const db = await createDatabase('lk_e2e');
  const namespace = uniqueName('e2e');
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-'));
  const tokenFile = path.join(dir, 'bootstrap-admin.token');
  const ports = { token: nextPort++, audit: nextPort++, policy: nextPort++ };
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL: options.redisUrl ?? infraDefaults.redisUrl,
    KAFKA_BROKERS: (options.kafkaBrokers ?? infraDefaults.kafkaBrokers).join(','),
    LATCHKEY_TOPIC_NAMESPACE: namespace,
    LATCHKEY_PEPPER: `pepper-${namespace}`,
    LATCHKEY_INTERNAL_SECRET: `internal-${namespace}`,
    LATCHKEY_CLIENTS: `${VALIDATE_CLIENT.id}:${VALIDATE_CLIENT.secret}`,
    LATCHKEY_BOOTSTRAP_TOKEN_FILE: tokenFile,
  };
  const idp = options.idp ? new ServiceProcess({ app: 'dev-idp', port: nextPort++, env: {}, label: `${namespace}-dev-idp` }) : undefined;
  if (idp) env.LATCHKEY_OIDC_ISSUER = idp.baseUrl;
  const started: ServiceProcess[] = [];
  const system: System = {
    namespace,
    databaseUrl: db.url,
    env,
    token: new ServiceProcess({ app: 'token-service', port: ports.token, env: { ...env, ...options.tokenEnv }, label: `${namespace}-token` }),
    validators: [],
    idp,
    bootstrapToken: () => readFileSync(tokenFile, 'utf8').trim(),
    another: (app, extra = {}) => {
      const base = app === 'token-service' ? { ...env, ...options.tokenEnv } : { ...env, TOKEN_SERVICE_URL: system.token.baseUrl, ...options.validatorEnv };
      const svc = new ServiceProcess({ app, port: nextPort++, env: { ...base, ...extra }, label: `${namespace}-${app}-${nextPort}` });
      started.push(svc);
      return svc;
    },
    stop: async () => {
      await Promise.all(started.map((s) => s.stop()));
      await db.drop();
    },
  };
  try {
    // registered before they start, so a start-up failure still stops them (no orphan keeps jest alive)
    if (idp) {
      started.push(idp);
      await idp.start();
    }
    started.push(system.token);
    await system.token.start();
    const validatorEnv = { ...env, TOKEN_SERVICE_URL: system.token.baseUrl, ...options.validatorEnv };
    for (let i = 0; i < (options.validators ?? 0); i++) {
      system.validators.push(new ServiceProcess({ app: 'validation-service', port: nextPort++, env: validatorEnv, label: `${namespace}-validation-${i + 1}` }));
    }
    const others: ServiceProcess[] = [...system.validators];
    // audit-service authenticates admin tokens through token-service (started above)
    const auditEnv = { ...env, TOKEN_SERVICE_URL: system.token.baseUrl, ...options.auditEnv };
    if (options.audit) others.push((system.audit = new ServiceProcess({ app: 'audit-service', port: ports.audit, env: auditEnv, label: `${namespace}-audit` })));
    // policy-service too (management API); SCIM clients present SYSTEM_SCIM_TOKEN
    const policyEnv = { ...env, TOKEN_SERVICE_URL: system.token.baseUrl, LATCHKEY_SCIM_TOKEN: SYSTEM_SCIM_TOKEN, ...options.policyEnv };
    if (options.policy) others.push((system.policy = new ServiceProcess({ app: 'policy-service', port: ports.policy, env: policyEnv, label: `${namespace}-policy` })));
    // notification-service authenticates through token-service too
    const notificationEnv = { ...env, TOKEN_SERVICE_URL: system.token.baseUrl, ...options.notificationEnv };
    if (options.notification) {
      others.push((system.notification = new ServiceProcess({ app: 'notification-service', port: nextPort++, env: notificationEnv, label: `${namespace}-notification` })));
    }
    // start in parallel: each waits for its own /health/ready
    started.push(...others);
    await Promise.all(others.map((s) => s.start()));
  } catch (err) {
    await system.stop().catch(() => undefined);
    throw err;
  }
  return system;
}

export function clientAuthorization(): string {
  return `Basic ${Buffer.from(`${VALIDATE_CLIENT.id}:${VALIDATE_CLIENT.secret}`).toString('base64')}`;
}

export async function validate(validator: ServiceProcess, body: Record<string, unknown>): Promise<{ valid: boolean; code: string; tokenId: string | null }> {
  const res = await validator.fetch('/v1/validate', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: clientAuthorization() },
    body: JSON.stringify({ method: 'GET', path: '/rest/api/2/myself', ip: '10.1.2.3', ...body }),
  });
  if (res.status !== 200) throw new Error(`validate answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { valid: boolean; code: string; tokenId: string | null };
}

export async function api<T>(svc: ServiceProcess, method: string, pathname: string, bearer: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await svc.fetch(pathname, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Replaces the whole policy document (GET for its ETag, then PUT with If-Match) as `bearer`; the new version. */
export async function replacePolicy(policy: ServiceProcess, bearer: string, rules: unknown): Promise<{ status: number; version: number }> {
  const current = await policy.fetch('/v1/policy');
  const etag = current.headers.get('etag') ?? '';
  await current.body?.cancel();
  const res = await policy.fetch('/v1/policy', {
    method: 'PUT',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'if-match': etag },
    body: JSON.stringify({ rules }),
  });
  const body = (await res.json()) as { version: number };
  return { status: res.status, version: body.version };
}
