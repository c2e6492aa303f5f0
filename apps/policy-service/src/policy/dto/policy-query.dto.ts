/** GET /v1/policy takes no query parameters: any given is a 400 (strict validation), not silently ignored. */
export class PolicyQueryDto {}
