import { Scope } from './token-events';

/**
 * The policy document: one versioned document, replaced whole by `PUT /v1/policy`.
 * Users in rules are referenced by directory id or userName; groups by directory id or displayName
 * (both case-insensitive), so a rule may name a group the IdP has not provisioned yet (a warning, not an error).
 */
export interface SelfServiceRule {
  /** unique within the document; answers name the rule that decided, e.g. `selfService[developers]` */
  name: string;
  /** true: every active directory user (and any authenticated caller not in the directory) */
  everyone?: boolean;
  users?: string[];
  groups?: string[];
  /** the highest scope this rule lets its members grant to their own tokens (read < write < admin) */
  maxScope: Scope;
}

export interface OnBehalfOfRule {
  name: string;
  /** members of these groups (or these users) may create tokens for the targets below */
  groups?: string[];
  users?: string[];
  targets: {
    users?: string[];
    groups?: string[];
    /** every service account (kind = serviceAccount) */
    serviceAccounts?: boolean;
    /** any directory user */
    everyone?: boolean;
  };
  maxScope: Scope;
}

export type BasicAuthMode = 'allowed' | 'disabled';
export type DeactivationMode = 'blocked' | 'revoked';

export interface PolicyRules {
  /** members may do everything: any scope, for anyone (lifetime and per-user limits still apply) */
  adminGroup: string;
  selfService: SelfServiceRule[];
  onBehalfOf: OnBehalfOfRule[];
  lifetime: {
    /** null = no maximum; a token without expiry is refused whenever a maximum is set */
    maxDays: number | null;
    /** tokens must have an expiry (also implied by maxDays) */
    expiryRequired: boolean;
  };
  /** active tokens one owner may hold; null = unlimited */
  maxTokensPerUser: number | null;
  /** global IP allowlist (IPv4/IPv6 CIDRs), applied on top of each token's own allowedCidrs; empty = any address */
  ipAllowlist: string[];
  basicAuth: {
    /** Basic with a password (not a token): passed through to the resource server, or refused */
    mode: BasicAuthMode;
    /** when disabled, still allowed on these paths (prefix, or glob with * and **) and for these users/groups */
    exceptions: { paths: string[]; users: string[]; groups: string[] };
  };
  /** a deactivated user's tokens: blocked (reactivation restores them) or revoked by the token-service */
  deactivation: DeactivationMode;
}

export interface PolicyDocument {
  /** increments with every change; 0 = nothing stored yet (DEFAULT_POLICY_RULES apply) */
  version: number;
  rules: PolicyRules;
}

export const DEFAULT_ADMIN_GROUP = 'latchkey-admins';

/**
 * What an empty deployment gets: everyone may create read/write tokens for themselves, admins everything,
 * no lifetime or count limit, any address, basic auth passed through, deactivation blocks (not revokes).
 */
export const DEFAULT_POLICY_RULES: PolicyRules = {
  adminGroup: DEFAULT_ADMIN_GROUP,
  selfService: [{ name: 'everyone', everyone: true, maxScope: 'write' }],
  onBehalfOf: [],
  lifetime: { maxDays: null, expiryRequired: false },
  maxTokensPerUser: null,
  ipAllowlist: [],
  basicAuth: { mode: 'allowed', exceptions: { paths: [], users: [], groups: [] } },
  deactivation: 'blocked',
};

export const EMPTY_POLICY: PolicyDocument = { version: 0, rules: DEFAULT_POLICY_RULES };

/** Wire shape of PUT /v1/policy answers and the evaluate endpoint. */
export interface PolicyWarning {
  path: string;
  message: string;
}
