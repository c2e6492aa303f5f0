import { DomainError } from '@latchkey/contracts';

export const TokenErrorCodes = {
  notFound: 'TOKEN_NOT_FOUND',
  alreadyExists: 'TOKEN_ALREADY_EXISTS',
  notActive: 'TOKEN_NOT_ACTIVE',
  invalidExpiry: 'INVALID_EXPIRY',
  invalidCidr: 'INVALID_CIDR',
  forbiddenScope: 'FORBIDDEN_SCOPE',
  forbiddenOwner: 'FORBIDDEN_OWNER',
  readOnlyCredential: 'READ_ONLY_CREDENTIAL',
  nameTaken: 'TOKEN_NAME_TAKEN',
  invalidCursor: 'INVALID_CURSOR',
  invalidRequest: 'INVALID_TOKEN_REQUEST',
  notPermitted: 'NOT_PERMITTED_BY_POLICY',
  rateLimited: 'RATE_LIMITED',
  adminOnly: 'ADMIN_ONLY',
} as const;
export type TokenErrorCode = (typeof TokenErrorCodes)[keyof typeof TokenErrorCodes];

export class TokenError extends DomainError<TokenErrorCode> {}

/** The one place token error codes become HTTP statuses. */
export const TOKEN_ERROR_STATUS: Readonly<Record<TokenErrorCode, number>> = {
  TOKEN_NOT_FOUND: 404,
  TOKEN_ALREADY_EXISTS: 409,
  TOKEN_NOT_ACTIVE: 409,
  INVALID_EXPIRY: 400,
  INVALID_CIDR: 400,
  FORBIDDEN_SCOPE: 403,
  FORBIDDEN_OWNER: 403,
  READ_ONLY_CREDENTIAL: 403,
  TOKEN_NAME_TAKEN: 409,
  INVALID_CURSOR: 400,
  INVALID_TOKEN_REQUEST: 400,
  NOT_PERMITTED_BY_POLICY: 403,
  RATE_LIMITED: 429,
  ADMIN_ONLY: 403,
};
