import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { DevUserDirectory } from '../users/dev-users';
import { loginPage } from './login-page';

const MAX_FORM_BYTES = 8 * 1024;

/**
 * The login interaction: GET /interaction/:uid shows the sign-in page, POST /interaction/:uid/login checks
 * the user name and password, POST /interaction/:uid/abort denies. Consent is granted by loadExistingGrant.
 * Answers false when the path is not an interaction route.
 */
export async function handleInteraction(req: IncomingMessage, res: ServerResponse, provider: Provider, users: DevUserDirectory, log: Logger): Promise<boolean> {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?$/.exec((req.url ?? '').split('?')[0]);
  if (!match) return false;
  const action = match[2];
  const details = await provider.interactionDetails(req, res).catch(() => null);
  if (!details || details.uid !== match[1]) {
    html(res, 400, '<!doctype html><p>This sign-in has expired or is unknown. Start again from the application.</p>');
    return true;
  }
  const clientId = String(details.params.client_id ?? '');

  if (req.method === 'GET' && !action) {
    log.debug({ event: 'interaction', prompt: details.prompt.name, reasons: details.prompt.reasons, clientId }, 'interaction');
    html(res, 200, loginPage({ uid: details.uid, clientId, users: users.users, loginHint: details.params.login_hint }));
    return true;
  }
  if (req.method !== 'POST' || !action) {
    res.writeHead(405, { allow: action ? 'POST' : 'GET' }).end();
    return true;
  }
  if (action === '/abort') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled the sign-in' });
    return true;
  }

  const form = await readForm(req);
  if (!form) {
    html(res, 413, '<!doctype html><p>Form too large.</p>');
    return true;
  }
  const userName = form.get('username') ?? '';
  const user = users.login(userName, form.get('password') ?? '');
  if (!user) {
    log.info({ event: 'login.failed', clientId }, 'sign-in refused');
    html(res, 401, loginPage({ uid: details.uid, clientId, users: users.users, loginHint: userName, error: 'Unknown user or wrong password.' }));
    return true;
  }
  log.info({ event: 'login', user: user.userName, clientId }, 'signed in');
  await provider.interactionFinished(req, res, { login: { accountId: user.userName } }, { mergeWithLastSubmission: false });
  return true;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  let raw = '';
  for await (const chunk of req) {
    raw += String(chunk);
    if (raw.length > MAX_FORM_BYTES) return null;
  }
  return new URLSearchParams(raw);
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' }).end(body);
}
