/** RFC 7644 §3.12 scimType values this service answers with. */
export type ScimType = 'invalidFilter' | 'invalidPath' | 'invalidSyntax' | 'invalidValue' | 'noTarget' | 'uniqueness' | 'mutability' | 'tooMany';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A SCIM error (pure; the SCIM exception filter turns it into an application/scim+json body). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ScimError';
  }
}

export const invalidFilter = (m: string) => new ScimError(400, 'invalidFilter', m);
export const invalidPath = (m: string) => new ScimError(400, 'invalidPath', m);
export const invalidSyntax = (m: string) => new ScimError(400, 'invalidSyntax', m);
export const invalidValue = (m: string) => new ScimError(400, 'invalidValue', m);
