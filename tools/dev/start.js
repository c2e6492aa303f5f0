#!/usr/bin/env node
// `npm start`: infrastructure up (Kafka fetched and started for you), every service built and started on local
// defaults, URLs printed. Ctrl-C stops the services (Kafka keeps running; `npm run kafka:stop` stops it).
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..', '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('bash', ['tools/infra/infra.sh', 'up']);
run('npx', ['nx', 'run-many', '-t', 'build', '--projects=token-service,validation-service,policy-service,audit-service,dev-idp,notification-service', '--parallel=2', '--outputStyle=static']);

const services = [
  { app: 'token-service', port: 3001 },
  { app: 'validation-service', port: 3002 },
  { app: 'policy-service', port: 3003 },
  { app: 'audit-service', port: 3004 },
  // the OIDC issuer of the local default: demo users, see apps/dev-idp
  { app: 'dev-idp', port: 3005 },
  // e-mail goes to the local SMTP sink below (tmp/logs/smtp-sink.log) unless LATCHKEY_SMTP_URL says otherwise
  { app: 'notification-service', port: 3006 },
];
const OIDC_ISSUER = 'http://127.0.0.1:3005';
const logDir = path.join(root, 'tmp', 'logs');
fs.mkdirSync(logDir, { recursive: true });
// the development mail relay: every message lands in tmp/logs/smtp-sink.log
const SMTP_SINK_PORT = 2525;
const smtpSink = spawn(process.execPath, ['tools/dev/smtp-sink.js'], {
  cwd: root,
  env: { ...process.env, SMTP_SINK_PORT: String(SMTP_SINK_PORT) },
  stdio: ['ignore', fs.openSync(path.join(logDir, 'smtp-sink.out'), 'a'), fs.openSync(path.join(logDir, 'smtp-sink.out'), 'a')],
});
const children = services.map(({ app, port }) => {
  const log = fs.openSync(path.join(logDir, `${app}.log`), 'a');
  const child = spawn(process.execPath, ['tools/run-service.js', app], {
    cwd: root,
    env: {
      TOKEN_SERVICE_URL: 'http://127.0.0.1:3001',
      LATCHKEY_OIDC_ISSUER: OIDC_ISSUER,
      LATCHKEY_SMTP_URL: `smtp://127.0.0.1:${SMTP_SINK_PORT}`,
      ...process.env,
      PORT: String(port),
    },
    stdio: ['ignore', log, log],
  });
  child.on('exit', (code) => {
    if (!stopping) console.error(`${app} exited (${code}); see tmp/logs/${app}.log`);
  });
  return { app, port, child };
});

let stopping = false;
const stop = () => {
  stopping = true;
  for (const { child } of children) child.kill('SIGTERM');
  smtpSink.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

(async () => {
  const deadline = Date.now() + 90_000;
  for (const { app, port } of children) {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) {
        console.error(`${app} is not ready after 90 s; see tmp/logs/${app}.log`);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  console.log('\nLatchkey is up:');
  for (const { app, port } of children) {
    if (app !== 'dev-idp') console.log(`  ${app.padEnd(20)} http://127.0.0.1:${port}   (docs: http://127.0.0.1:${port}/docs)`);
  }
  console.log(`  ${'dev-idp (OIDC)'.padEnd(20)} ${OIDC_ISSUER}   (discovery: ${OIDC_ISSUER}/.well-known/openid-configuration)`);
  console.log('                       users admin (latchkey-admins), alice, bob, carol, svc-ci; password = user name');
  console.log('                       clients latchkey-cli (public, PKCE), latchkey-admin-ui, latchkey-service (client_credentials)');
  console.log(`\n  bootstrap admin token: ${path.join(root, '.latchkey', 'bootstrap-admin.token')} (written on first start)`);
  console.log('  validation clients:    dev:dev-client-secret (LATCHKEY_CLIENTS)');
  console.log(`  e-mail (dev SMTP sink): smtp://127.0.0.1:${SMTP_SINK_PORT} -> tmp/logs/smtp-sink.log`);
  console.log('  logs:                  tmp/logs/<service>.log\n  Ctrl-C stops the services.');
})();
