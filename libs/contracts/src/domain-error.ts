/**
 * Domain code throws these, never HTTP exceptions; each service maps codes to statuses in one place
 * (STYLE.md §5). Plain TypeScript so pure domain code may use it.
 */
export class DomainError<TCode extends string = string> extends Error {
  constructor(
    readonly code: TCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Codes shared by all services. */
export const CommonErrorCodes = {
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  invalid: 'INVALID_INPUT',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  unavailable: 'DEPENDENCY_UNAVAILABLE',
} as const;
