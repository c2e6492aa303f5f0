import { DomainError } from '@latchkey/contracts';

export const DirectoryErrorCodes = {
  userNotFound: 'USER_NOT_FOUND',
  groupNotFound: 'GROUP_NOT_FOUND',
  uniqueness: 'UNIQUENESS',
  invalidValue: 'INVALID_VALUE',
  mutability: 'MUTABILITY',
} as const;
export type DirectoryErrorCode = (typeof DirectoryErrorCodes)[keyof typeof DirectoryErrorCodes];

export class DirectoryError extends DomainError<DirectoryErrorCode> {}

export const DIRECTORY_ERROR_STATUS: Readonly<Record<DirectoryErrorCode, number>> = {
  USER_NOT_FOUND: 404,
  GROUP_NOT_FOUND: 404,
  UNIQUENESS: 409,
  INVALID_VALUE: 400,
  MUTABILITY: 400,
};
