/** Who called an admin endpoint. */
export interface AdminPrincipal {
  id: string;
  via: string;
}

/**
 * Port: decides whether a request comes from an administrator. The temporary driver checks a shared bearer
 * secret; libs/auth (OIDC + Latchkey tokens with the admin scope) replaces it by providing this token.
 */
export interface AdminAuthenticator {
  /** null when the request does not prove an administrator */
  authenticate(headers: Record<string, string | string[] | undefined>): Promise<AdminPrincipal | null>;
}

export const ADMIN_AUTHENTICATOR = Symbol('AUDIT_ADMIN_AUTHENTICATOR');
