import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Issuer } from 'openid-client';
import { IssueTokenResponse } from '@latchkey/contracts';
import { ServiceProcess, waitFor } from '@latchkey/testing';
import { generateToken } from '@latchkey/token-format';
import { api, clientAuthorization, startSystem, System, VALIDATE_CLIENT, validate } from './system';

const run = promisify(execFile);

/** curl through nginx: status and body */
async function curl(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; headers: string }> {
  const args = ['-s', '-D', '-', '-X', method, '-w', '\n%{http_code}', url];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  const { stdout } = await run('curl', args, { timeout: 10_000 });
  const lines = stdout.split('\n');
  const status = Number(lines.pop());
  const text = lines.join('\n');
  const split = text.indexOf('\r\n\r\n');
  return { status, headers: text.slice(0, split), body: text.slice(split + 4) };
}

function nginxConf(dir: string, port: number, upstreamPort: number, validatorPort: number): string {
  const client = clientAuthorization();
  const temp = (name: string) => path.join(dir, name);
  return `
worker_processes 1;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  upstream latchkey { server 127.0.0.1:${validatorPort}; keepalive 8; }
  server {
    listen 127.0.0.1:${port};
    location / {
      auth_request /_latchkey;
      auth_request_set $lk_user $upstream_http_x_latchkey_user;
      auth_request_set $lk_token $upstream_http_x_latchkey_token_id;
      auth_request_set $lk_challenge $upstream_http_www_authenticate;
      add_header WWW-Authenticate $lk_challenge always;
      proxy_set_header X-Latchkey-User $lk_user;
      proxy_set_header X-Latchkey-Token-Id $lk_token;
      proxy_pass http://127.0.0.1:${upstreamPort};
    }
    location = /_latchkey {
      internal;
      proxy_pass http://latchkey/v1/authz/nginx;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Latchkey-Client "${client}";
    }
  }
}
`;
}

describe('validation adapters end to end: decision codes, nginx auth_request, RFC 7662 / 7009 with openid-client', () => {
  let system: System;
  let validator: ServiceProcess;
  let upstream: Server;
  let nginx: ChildProcess | undefined;
  let nginxUrl: string;
  const seenUpstream: Array<Record<string, string | string[] | undefined>> = [];

  beforeAll(async () => {
    system = await startSystem({ validators: 1 });
    validator = system.validators[0];
    upstream = createServer((req, res) => {
      seenUpstream.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ user: req.headers['x-latchkey-user'] ?? null, tokenId: req.headers['x-latchkey-token-id'] ?? null }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-nginx-'));
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, d));
    const port = 4900 + (process.pid % 90);
    writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(dir, port, (upstream.address() as AddressInfo).port, Number(new URL(validator.baseUrl).port)));
    nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    nginxUrl = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${nginxUrl}/`).catch(() => null)) !== null, { timeoutMs: 10_000, what: 'nginx to listen' });
  }, 180_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx?.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
    await system?.stop();
  }, 60_000);

  let issued = 0;
  const issue = async (body: Record<string, unknown>) => {
    const res = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', system.bootstrapToken(), { name: `adapters-${++issued}`, scopes: ['read'], expiresInDays: 1, ...body });
    if (res.status !== 201) throw new Error(`issue answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('answers every decision code the validator owns (directory and policy codes: validation-policy.e2e-spec.ts)', async () => {
    const read = await issue({});
    const revoked = await issue({});
    await api(system.token, 'DELETE', `/v1/tokens/${revoked.token.id}`, system.bootstrapToken());
    const ranged = await issue({ allowedCidrs: ['198.51.100.0/24'] });
    const shortLived = await issue({ expiresInDays: undefined, expiresAt: new Date(Date.now() + 3_000).toISOString() });
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ token: read.secret }, 'VALID'],
      [{ authorization: `Bearer ${read.secret}` }, 'VALID'],
      [{ authorization: basic(read.token.ownerId, read.secret) }, 'VALID'],
      [{ authorization: basic('somebody-else', read.secret) }, 'NOT_FOUND'],
      [{ token: `${read.secret.slice(0, -1)}${read.secret.endsWith('A') ? 'B' : 'A'}` }, 'MALFORMED'],
      [{ token: 'lk_\u0000abc' }, 'MALFORMED'],
      [{ authorization: 'Basic not base64!' }, 'MALFORMED'],
      [{ authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, 'MALFORMED'],
      [{ token: `lk_${'A'.repeat(40)}000000` }, 'MALFORMED'],
      [{ token: read.secret, method: 'POST' }, 'SCOPE_DENIED'],
      [{ token: read.secret, method: 'BREW' }, 'SCOPE_DENIED'],
      [{ token: read.secret, path: '/a/../../etc/passwd%2F..%2f' }, 'VALID'],
      [{ token: ranged.secret, ip: '203.0.113.1' }, 'IP_DENIED'],
      [{ token: ranged.secret, ip: '198.51.100.7' }, 'VALID'],
      // the default policy passes Basic passwords on (BASIC_AUTH_DISABLED once disabled: validation-policy.e2e-spec.ts)
      [{ authorization: basic('alice', 'hunter2') }, 'PASSWORD'],
      [{}, 'NO_CREDENTIALS'],
      [{ authorization: 'Negotiate abc' }, 'NO_CREDENTIALS'],
    ];
    for (const [body, code] of cases) {
      await expect(validate(validator, body).then((d) => ({ body, code: d.code }))).resolves.toEqual({ body, code });
    }
    await waitFor(async () => (await validate(validator, { token: revoked.secret })).code === 'REVOKED', { what: 'REVOKED' });
    await waitFor(async () => (await validate(validator, { token: shortLived.secret })).code === 'EXPIRED', { timeoutMs: 10_000, what: 'EXPIRED' });
    // a random well-formed token: NOT_FOUND (and cached briefly as such)
    await expect(validate(validator, { token: generateToken(randomBytes) })).resolves.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects bad requests with a 4xx, never a 5xx', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      validator.fetch('/v1/validate', { method: 'POST', headers: { 'content-type': 'application/json', authorization: clientAuthorization(), ...headers }, body });
    expect((await post('{"token":')).status).toBe(400);
    expect((await post(JSON.stringify({ method: 'GET', path: '/', ip: '10.0.0.1; DROP' }))).status).toBe(400);
    expect((await post(JSON.stringify({ method: 'G E T', path: '/', ip: '10.0.0.1' }))).status).toBe(400);
    expect((await post(JSON.stringify({ token: 'x'.repeat(70_000), method: 'GET', path: '/', ip: '10.0.0.1' }))).status).toBe(413);
    expect((await validator.fetch('/v1/validate', { method: 'POST', body: '{}' })).status).toBe(401);
    // a 16 KiB header: the node:http limit answers 431 before any handler
    const huge = await curl(`${validator.baseUrl}/v1/authz/nginx`, { authorization: `Bearer ${'a'.repeat(16 * 1024)}`, 'x-latchkey-client': clientAuthorization() });
    expect(huge.status).toBe(431);
    // just under the limit: a defined decision
    const big = await curl(`${validator.baseUrl}/v1/authz/nginx`, { authorization: `Bearer ${'a'.repeat(12 * 1024)}`, 'x-latchkey-client': clientAuthorization() });
    expect(big.status).toBe(401);
    const nonAscii = await curl(`${validator.baseUrl}/v1/authz/nginx`, { authorization: 'Bearer lk_é€', 'x-latchkey-client': clientAuthorization() });
    expect(nonAscii.status).toBe(401);
  });

  it('guards an upstream behind real nginx (auth_request), driven by curl', async () => {
    const read = await issue({});
    const revoked = await issue({});
    await api(system.token, 'DELETE', `/v1/tokens/${revoked.token.id}`, system.bootstrapToken());

    const allowed = await curl(`${nginxUrl}/rest/api/2/myself`, { authorization: `Bearer ${read.secret}`, 'x-latchkey-user': 'spoofed' });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toEqual({ user: read.token.ownerId, tokenId: read.token.id });

    const write = await curl(`${nginxUrl}/rest/api/2/issue`, { authorization: `Bearer ${read.secret}` }, 'POST');
    expect(write.status).toBe(403);

    const anonymous = await curl(`${nginxUrl}/rest/api/2/myself`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers).toMatch(/WWW-Authenticate: Bearer realm="latchkey"/i);

    await waitFor(async () => (await curl(`${nginxUrl}/x`, { authorization: `Bearer ${revoked.secret}` })).status === 403, { what: '403 for the revoked token' });
    const upstreamCalls = seenUpstream.length;
    expect((await curl(`${nginxUrl}/x`, { authorization: `Bearer ${revoked.secret}` })).status).toBe(403);
    expect(seenUpstream.length).toBe(upstreamCalls);

    // a spoofed X-Forwarded-For from the client cannot unlock an IP-restricted token: nginx sets X-Real-IP itself
    const ranged = await issue({ allowedCidrs: ['198.51.100.0/24'] });
    expect((await curl(`${nginxUrl}/x`, { authorization: `Bearer ${ranged.secret}`, 'x-forwarded-for': '198.51.100.7', 'x-real-ip': '198.51.100.7' })).status).toBe(403);
  });

  it('answers RFC 7662 and RFC 7009 as a standard OAuth client library (openid-client) expects', async () => {
    const issuer = new Issuer({
      issuer: 'https://latchkey.invalid',
      introspection_endpoint: `${validator.baseUrl}/oauth2/introspect`,
      revocation_endpoint: `${validator.baseUrl}/oauth2/revoke`,
    });
    const client = new issuer.Client({ client_id: VALIDATE_CLIENT.id, client_secret: VALIDATE_CLIENT.secret, token_endpoint_auth_method: 'client_secret_basic' });
    const read = await issue({ scopes: ['read', 'write'] });

    const active = await client.introspect(read.secret, 'access_token');
    expect(active).toMatchObject({ active: true, scope: 'read write', sub: read.token.ownerId, username: read.token.ownerId, jti: read.token.id, token_type: 'Bearer' });
    expect(active.exp).toBe(Math.floor(Date.parse(read.token.expiresAt!) / 1000));
    expect(await client.introspect('lk_not-a-token')).toEqual({ active: false });

    const postClient = new issuer.Client({ client_id: VALIDATE_CLIENT.id, client_secret: VALIDATE_CLIENT.secret, token_endpoint_auth_method: 'client_secret_post' });
    expect(await postClient.introspect(read.secret)).toMatchObject({ active: true });
    const stranger = new issuer.Client({ client_id: 'stranger', client_secret: 'not-registered-secret' });
    await expect(stranger.introspect(read.secret)).rejects.toMatchObject({ error: 'invalid_client' });

    await client.revoke(read.secret, 'access_token');
    await expect(client.revoke('lk_garbage')).resolves.toBeUndefined();
    await waitFor(async () => (await client.introspect(read.secret)).active === false, { what: 'inactive after RFC 7009 revoke' });
    expect(await client.introspect(read.secret)).toEqual({ active: false });
    await expect(validate(validator, { token: read.secret })).resolves.toMatchObject({ code: 'REVOKED' });
  });
});
