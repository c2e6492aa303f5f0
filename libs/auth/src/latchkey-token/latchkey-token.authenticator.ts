import { Principal } from '../principal';

/**
 * Port: turns a presented Latchkey token string into a principal, or null when it does not authenticate.
 * token-service implements it on its database; other services use HttpLatchkeyTokenAuthenticator.
 * Throws only when the source of truth cannot answer (the caller answers 503).
 */
export interface LatchkeyTokenAuthenticator {
  authenticate(bearer: string): Promise<Principal | null>;
}

export const LATCHKEY_TOKEN_AUTHENTICATOR = Symbol('LATCHKEY_TOKEN_AUTHENTICATOR');

/** Used when a service accepts no Latchkey tokens: nothing authenticates. */
export class NoLatchkeyTokenAuthenticator implements LatchkeyTokenAuthenticator {
  async authenticate(): Promise<Principal | null> {
    return null;
  }
}
