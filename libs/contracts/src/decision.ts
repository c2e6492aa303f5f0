/** Validation decision codes. */
export const DecisionCodes = [
  'VALID',
  'MALFORMED',
  'NOT_FOUND',
  'EXPIRED',
  'REVOKED',
  'USER_INACTIVE',
  'SCOPE_DENIED',
  'IP_DENIED',
  'NOT_PERMITTED',
  'BASIC_AUTH_DISABLED',
  'NO_CREDENTIALS',
  'PASSWORD',
] as const;
export type DecisionCode = (typeof DecisionCodes)[number];
