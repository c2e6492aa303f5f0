/**
 * @latchkey/policy-engine — pure evaluation of the Latchkey policy document, shared by the
 * token-, validation- and policy-service. No framework, driver or I/O; the clock is not needed.
 *
 * Keeping a local copy (token-service, validation-service):
 *   const directory = new DirectoryView();               // feed from latchkey.directory.v1 (broadcast consumer)
 *   directory.apply(envelope);                            // idempotent upsert; every event carries the full state
 *   let policy = EMPTY_POLICY;                            // from @latchkey/contracts: the defaults, version 0
 *   policy = evolvePolicy(policy, envelope);              // feed from latchkey.policy.v1 (PolicyChanged)
 *
 * token-service, on POST /v1/tokens (403 with decision.rule and decision.reason when !allowed):
 *   evaluateCreation(policy, directory, { actor, actorGroups, actorIsAdmin, ownerId, scopes, lifetimeDays, ownerActiveTokens })
 *     -> { allowed, code, rule, reason, maxScope }
 *   and on UserDeactivated with data.tokens === 'revoked': revoke every token of state.id / state.userName.
 *
 * validation-service, per request after the token's own checks (status, expiry, scope, token CIDRs):
 *   evaluateRequest(policy, { ...userFacts(directory, ownerId), ip, method, path, credential: 'token' | 'password' })
 *     -> { allowed, code: OK | USER_INACTIVE | IP_DENIED | BASIC_AUTH_DISABLED | PASSWORD | NOT_PERMITTED, rule }
 *   (documents are compiled once per rules object, so this is cheap on the hot path)
 *
 * Also: CIDR parsing/matching/overlap (IPv4 + IPv6, IPv4-mapped IPv6 as IPv4), path patterns (prefix or glob),
 * parsePolicyRules (validation of a proposed document), policyWarnings, diffPolicy.
 */
export * from './cidr';
export * from './scopes';
export * from './path-match';
export * from './directory-view';
export * from './matching';
export * from './policy-schema';
export * from './policy-evolve';
export * from './evaluate-creation';
export * from './evaluate-request';
