import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientAuthenticator } from '../client-auth';
import { firstHeader, parseForm, readBody, sendJson } from '../http/http-io';

export const MAX_FORM_BYTES = 16 * 1024;

/** RFC 6749 §5.2 error answer */
export function oauthError(res: ServerResponse, status: number, error: string, description: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error, error_description: description }, headers);
}

/**
 * Shared front of RFC 7662 and RFC 7009: POST, form body, client authentication (client_secret_basic or
 * client_secret_post), a `token` parameter. Calls `onRequest` with the client id and form, or answers the error.
 */
export function readOAuthRequest(
  req: IncomingMessage,
  res: ServerResponse,
  clients: ClientAuthenticator,
  onRequest: (clientId: string, form: Map<string, string>) => void,
): void {
  if (req.method !== 'POST') {
    req.resume();
    oauthError(res, 405, 'invalid_request', 'use POST', { allow: 'POST' });
    return;
  }
  const type = firstHeader(req.headers['content-type']) ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    req.resume();
    oauthError(res, 400, 'invalid_request', 'send the parameters as application/x-www-form-urlencoded');
    return;
  }
  readBody(
    req,
    res,
    MAX_FORM_BYTES,
    () => oauthError(res, 413, 'invalid_request', `request body is larger than ${MAX_FORM_BYTES / 1024} KiB`),
    (raw) => {
      const form = parseForm(raw.toString('utf8'));
      if (!form) return oauthError(res, 400, 'invalid_request', 'a parameter is repeated or badly encoded');
      const header = firstHeader(req.headers.authorization);
      const clientId = header ? clients.authenticate(header) : clients.authenticatePost(form.get('client_id'), form.get('client_secret'));
      if (!clientId) {
        return oauthError(res, 401, 'invalid_client', 'client authentication failed', { 'www-authenticate': 'Basic realm="latchkey-validation"' });
      }
      const token = form.get('token');
      if (!token) return oauthError(res, 400, 'invalid_request', 'the token parameter is required');
      onRequest(clientId, form);
    },
  );
}
