import { PolicyDocument, PolicyRules, UserKind } from '@latchkey/contracts';
import { Cidr, compileCidrs, ipInCidrs } from './cidr';
import type { DirectoryView } from './directory-view';
import { compilePathPattern, normalizePath, PathMatcher } from './path-match';

export type CredentialKind = 'token' | 'password';

export interface RequestFacts {
  /** the token owner, or the user part of a Basic password credential */
  userId: string;
  /** from the directory; null = the user is not in the directory (deactivation cannot apply) */
  userActive: boolean | null;
  /** the user's groups (ids and/or displayNames) */
  userGroups: readonly string[];
  userKind?: UserKind;
  ip: string;
  method: string;
  path: string;
  credential: CredentialKind;
}

/** OK = the policy lets the request through (the token's own checks still apply); PASSWORD = pass the password on. */
export type RequestDecisionCode = 'OK' | 'USER_INACTIVE' | 'IP_DENIED' | 'BASIC_AUTH_DISABLED' | 'PASSWORD' | 'NOT_PERMITTED';

export interface RequestDecision {
  allowed: boolean;
  code: RequestDecisionCode;
  /** what decided: `directory.active`, `ipAllowlist`, `basicAuth.mode`, `basicAuth.exceptions.paths[2]`, `serviceAccount`, `default` */
  rule: string;
}

interface CompiledRules {
  allowlist: Cidr[];
  paths: PathMatcher[];
  users: Set<string>;
  groups: Set<string>;
}

// the hot path calls this per request: compile each document once, keyed by its rules object
const compiled = new WeakMap<PolicyRules, CompiledRules>();

function compile(rules: PolicyRules): CompiledRules {
  let c = compiled.get(rules);
  if (!c) {
    c = {
      allowlist: compileCidrs(rules.ipAllowlist),
      paths: rules.basicAuth.exceptions.paths.map(compilePathPattern),
      users: new Set(rules.basicAuth.exceptions.users.map((u) => u.toLowerCase())),
      groups: new Set(rules.basicAuth.exceptions.groups.map((g) => g.toLowerCase())),
    };
    compiled.set(rules, c);
  }
  return c;
}

/**
 * May this request pass, as far as the policy is concerned? Pure and cheap (the document is compiled once).
 * Order: USER_INACTIVE, IP_DENIED (global allowlist), then for a Basic password: NOT_PERMITTED for service
 * accounts (they have no password), BASIC_AUTH_DISABLED unless an exception (user, group, path) applies,
 * else PASSWORD. A token that passes gets OK; the caller still checks its status, scopes and own CIDRs.
 */
export function evaluateRequest(policy: PolicyDocument | PolicyRules, facts: RequestFacts): RequestDecision {
  const rules = 'rules' in policy ? policy.rules : policy;
  const c = compile(rules);
  if (facts.userActive === false) return { allowed: false, code: 'USER_INACTIVE', rule: 'directory.active' };
  if (c.allowlist.length > 0 && !ipInCidrs(facts.ip, c.allowlist)) return { allowed: false, code: 'IP_DENIED', rule: 'ipAllowlist' };
  if (facts.credential === 'token') return { allowed: true, code: 'OK', rule: c.allowlist.length > 0 ? 'ipAllowlist' : 'default' };

  if (facts.userKind === 'serviceAccount') return { allowed: false, code: 'NOT_PERMITTED', rule: 'serviceAccount' };
  if (rules.basicAuth.mode === 'allowed') return { allowed: true, code: 'PASSWORD', rule: 'basicAuth.mode' };
  if (c.users.has(facts.userId.toLowerCase())) return { allowed: true, code: 'PASSWORD', rule: 'basicAuth.exceptions.users' };
  if (facts.userGroups.some((g) => c.groups.has(g.toLowerCase()))) return { allowed: true, code: 'PASSWORD', rule: 'basicAuth.exceptions.groups' };
  const path = normalizePath(facts.path);
  if (path !== null) {
    const i = c.paths.findIndex((m) => m(path));
    if (i >= 0) return { allowed: true, code: 'PASSWORD', rule: `basicAuth.exceptions.paths[${i}]` };
  }
  return { allowed: false, code: 'BASIC_AUTH_DISABLED', rule: 'basicAuth.mode' };
}

/** The directory facts evaluateRequest needs about a user (by id or userName). */
export function userFacts(directory: DirectoryView, userRef: string): Pick<RequestFacts, 'userId' | 'userActive' | 'userGroups' | 'userKind'> {
  const u = directory.user(userRef);
  if (!u) return { userId: userRef, userActive: null, userGroups: [] };
  return {
    userId: userRef,
    userActive: u.active && !u.deleted,
    userGroups: directory.groupsOf(u.id).flatMap((g) => [g.id, g.displayName]),
    userKind: u.kind,
  };
}
