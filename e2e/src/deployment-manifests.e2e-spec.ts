import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { WORKSPACE_ROOT } from '@latchkey/testing';

/**
 * docker-compose.yml and k8s/ are for users (no Docker engine runs here), so they are checked statically:
 * every service is there with its contract port, probes hit real endpoints, and every variable they set is one
 * the service's validated config actually reads.
 */
const SERVICES = { 'token-service': 3001, 'validation-service': 3002, 'policy-service': 3003, 'audit-service': 3004 } as const;
type ServiceName = keyof typeof SERVICES;

const read = (p: string) => readFileSync(path.join(WORKSPACE_ROOT, p), 'utf8');

/** Environment variables a service's config schema declares (its own file, the shared base schema, and libs/auth's when merged). */
function knownEnv(app: ServiceName): Set<string> {
  const dir = path.join(WORKSPACE_ROOT, 'apps', app, 'src', 'config');
  const own = readdirSync(dir).filter((f) => f.endsWith('.config.ts')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  const auth = own.some((s) => s.includes('authEnvSchema')) ? [read('libs/auth/src/auth.config.ts')] : [];
  const sources = [read('libs/service-kit/src/config.ts'), ...auth, ...own];
  return new Set(sources.flatMap((s) => [...s.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1])));
}

type Doc = Record<string, unknown> & { kind?: string; metadata?: { name?: string } };

describe('deployment manifests', () => {
  const compose = loadAll(read('docker-compose.yml'))[0] as { services: Record<string, Record<string, unknown>> };
  const k8sFiles = readdirSync(path.join(WORKSPACE_ROOT, 'k8s')).filter((f) => f.endsWith('.yaml'));
  const k8s = k8sFiles.flatMap((f) => loadAll(read(`k8s/${f}`)) as Doc[]).filter(Boolean);

  it('has a service in docker-compose.yml for every app, on its contract port, with a readiness check', () => {
    for (const [app, port] of Object.entries(SERVICES)) {
      const svc = compose.services[app] as { command: string[]; environment: Record<string, unknown>; healthcheck: { test: string[] }; depends_on: Record<string, unknown> };
      expect(svc).toBeDefined();
      expect(svc.command).toEqual([app]);
      expect(Number(svc.environment.PORT)).toBe(port);
      expect(svc.healthcheck.test.join(' ')).toContain('/health/ready');
      expect(Object.keys(svc.depends_on).sort()).toEqual(['kafka', 'postgres', 'redis']);
    }
    expect((compose.services['validation-service'].deploy as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
    expect(String(compose.services.kafka.image)).toMatch(/^apache\/kafka:3\.9\./);
  });

  it('sets only variables the services read', () => {
    for (const app of Object.keys(SERVICES) as ServiceName[]) {
      const env = Object.keys(compose.services[app].environment as Record<string, unknown>);
      const known = knownEnv(app);
      expect({ app, unknown: env.filter((k) => !known.has(k)) }).toEqual({ app, unknown: [] });
    }
    const shared = k8s.filter((d) => d.kind === 'ConfigMap' || d.kind === 'Secret').flatMap((d) => Object.keys((d.data ?? d.stringData) as object));
    const anyKnown = new Set((Object.keys(SERVICES) as ServiceName[]).flatMap((a) => [...knownEnv(a)]));
    expect(shared.filter((k) => !anyKnown.has(k))).toEqual([]);
  });

  it('has a Deployment and Service per app in k8s/, with probes on the real health endpoints', () => {
    for (const [app, port] of Object.entries(SERVICES)) {
      const deployment = k8s.find((d) => d.kind === 'Deployment' && d.metadata?.name === app) as {
        spec: { replicas: number; template: { spec: { containers: Array<{ args: string[]; ports: Array<{ containerPort: number }>; readinessProbe: { httpGet: { path: string } }; livenessProbe: { httpGet: { path: string } }; env: Array<{ name: string; value?: string }> }> } } };
      };
      expect(deployment).toBeDefined();
      const c = deployment.spec.template.spec.containers[0];
      expect(c.args).toEqual([app]);
      expect(c.ports[0].containerPort).toBe(port);
      expect(c.env.find((e) => e.name === 'PORT')?.value).toBe(String(port));
      expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/health/live');
      const known = knownEnv(app as ServiceName);
      expect(c.env.map((e) => e.name).filter((n) => !known.has(n))).toEqual([]);
      const service = k8s.find((d) => d.kind === 'Service' && d.metadata?.name === app) as { spec: { ports: Array<{ port: number }> } };
      expect(service.spec.ports[0].port).toBe(port);
    }
    const validation = k8s.find((d) => d.kind === 'Deployment' && d.metadata?.name === 'validation-service') as { spec: { replicas: number } };
    expect(validation.spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('lists every manifest in the kustomization', () => {
    const kustomization = loadAll(read('k8s/kustomization.yaml'))[0] as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(k8sFiles.filter((f) => f !== 'kustomization.yaml').sort());
  });

  it('builds every app in the Dockerfile and starts them through tools/run-service.js', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toContain(`--projects=${Object.keys(SERVICES).join(',')}`);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "tools\/run-service.js"\]/);
  });
});
