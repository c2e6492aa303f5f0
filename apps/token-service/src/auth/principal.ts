import { Principal } from '@latchkey/auth';

export { actorOf, canWrite } from '@latchkey/auth';
export type { Principal } from '@latchkey/auth';

export function isAdmin(p: Principal): boolean {
  return p.isAdmin;
}

/** The service itself, for revocations nobody asked for by name (leaked, reuse detected, expiry). */
export const SYSTEM_PRINCIPAL: Principal = { userId: 'system', via: 'system', scopes: ['admin', 'write'], groups: [], isAdmin: true };
