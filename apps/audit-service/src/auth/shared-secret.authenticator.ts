import { createHash, timingSafeEqual } from 'node:crypto';
import { AdminAuthenticator, AdminPrincipal } from './admin-authenticator.port';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** TEMPORARY: `Authorization: Bearer <LATCHKEY_AUDIT_ADMIN_SECRET>`, compared in constant time. */
export class SharedSecretAdminAuthenticator implements AdminAuthenticator {
  private readonly expected: Buffer;

  constructor(secret: string) {
    this.expected = digest(secret);
  }

  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<AdminPrincipal | null> {
    const header = headers['authorization'];
    if (typeof header !== 'string') return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return null;
    return timingSafeEqual(digest(match[1]), this.expected) ? { id: 'audit-admin', via: 'shared-secret' } : null;
  }
}
