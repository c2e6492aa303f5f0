import { TokenView } from './token-events';

/** Header carrying the shared secret on service-to-service calls (LATCHKEY_INTERNAL_SECRET). */
export const INTERNAL_SECRET_HEADER = 'x-latchkey-internal';

/** token-service's answer to "which token has this HMAC?", the validators' source of truth. */
export interface TokenLookupResult {
  /** which secret generation of the token this HMAC belongs to */
  secretGeneration: number;
  token: TokenView;
}
