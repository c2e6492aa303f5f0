import { DomainError } from '@latchkey/contracts';

export const PolicyErrorCodes = {
  invalidPolicy: 'INVALID_POLICY',
  invalidRequest: 'INVALID_EVALUATION',
  preconditionFailed: 'PRECONDITION_FAILED',
  preconditionRequired: 'PRECONDITION_REQUIRED',
} as const;
export type PolicyErrorCode = (typeof PolicyErrorCodes)[keyof typeof PolicyErrorCodes];

export class PolicyError extends DomainError<PolicyErrorCode> {}

export const POLICY_ERROR_STATUS: Readonly<Record<PolicyErrorCode, number>> = {
  INVALID_POLICY: 400,
  INVALID_EVALUATION: 400,
  PRECONDITION_FAILED: 412,
  PRECONDITION_REQUIRED: 428,
};

/** If-Match: `"3"`, `W/"3"` or `*` (any current version). Anything else can never match. */
export function parseIfMatch(header: string | undefined): number | '*' | null {
  if (header === undefined || header.trim() === '') return null;
  const h = header.trim();
  if (h === '*') return '*';
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(h);
  return m ? Number(m[1]) : -1;
}
