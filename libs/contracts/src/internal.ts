import { IsString, Matches } from 'class-validator';
import { TokenView } from './token-events';

/** Header carrying the shared secret on service-to-service calls (LATCHKEY_INTERNAL_SECRET). */
export const INTERNAL_SECRET_HEADER = 'x-latchkey-internal';

/** token-service's answer to "which token has this HMAC?", the validators' source of truth. */
export interface TokenLookupResult {
  /** which secret generation of the token this HMAC belongs to */
  secretGeneration: number;
  token: TokenView;
}

/** Body of token-service's `POST /internal/v1/tokens/lookup`. */
export class TokenLookupRequest {
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'secretHash must be 64 lower-case hex characters' })
  secretHash!: string;
}

export const TOKEN_LOOKUP_PATH = '/internal/v1/tokens/lookup';
