import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AdminAuthenticator, AdminPrincipal } from './admin-authenticator.port';

const digest = (s: string) => createHash('sha256').update(s).digest();
const ACTOR = /^[\w.@+-]{1,100}$/;

/**
 * TEMPORARY, until libs/auth (OIDC + Latchkey admin tokens) is wired in: a bearer secret
 * (LATCHKEY_POLICY_ADMIN_SECRET). Whoever holds it is an administrator; `X-Latchkey-Actor` names the person
 * for the audit trail (trusted, because only administrators hold the secret).
 */
export class SharedSecretAdminAuthenticator implements AdminAuthenticator {
  private readonly expected: Buffer;

  constructor(secret: string) {
    this.expected = digest(secret);
  }

  async authenticate(req: Request): Promise<AdminPrincipal | null> {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m || !timingSafeEqual(digest(m[1]), this.expected)) return null;
    const named = req.headers['x-latchkey-actor'];
    const userId = typeof named === 'string' && ACTOR.test(named) ? named : 'policy-admin';
    return { userId, via: 'bootstrap', isAdmin: true };
  }
}
