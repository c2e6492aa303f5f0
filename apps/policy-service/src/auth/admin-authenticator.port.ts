import type { Request } from 'express';
import { Actor } from '@latchkey/contracts';

/**
 * Who may use the management API (policy PUT, evaluate, directory, service accounts). Structurally the
 * Principal of libs/auth, so its ManagementAuthGuard + AdminGuard can replace PolicyAdminGuard without
 * touching the controllers (they read `req.user`).
 */
export interface AdminPrincipal {
  userId: string;
  via: Actor['via'];
  tokenId?: string;
  isAdmin: boolean;
}

/** Port: establishes the caller from a request, or null when the credentials are missing or wrong. */
export interface AdminAuthenticator {
  authenticate(req: Request): Promise<AdminPrincipal | null>;
}

export const ADMIN_AUTHENTICATOR = Symbol('ADMIN_AUTHENTICATOR');

export function actorOf(p: AdminPrincipal): Actor {
  return { userId: p.userId, via: p.via, ...(p.tokenId ? { tokenId: p.tokenId } : {}) };
}
