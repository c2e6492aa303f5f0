import { PolicyDocument, PolicyRules, Scope } from '@latchkey/contracts';
import type { DirectoryView } from './directory-view';
import { groupIdentities, matchesGroup, matchesUser, userIdentities } from './matching';
import { highestScope, isScope, scopeRank, scopeWithin } from './scopes';

export interface CreationRequest {
  /** who asks: directory id or userName (the principal's user id) */
  actor: string;
  /** groups the caller's credential asserts (e.g. the OIDC groups claim), on top of directory membership */
  actorGroups?: readonly string[];
  /** the credential itself carries the `admin` scope (e.g. the bootstrap admin token): counts as an administrator */
  actorIsAdmin?: boolean;
  /** on behalf of this user (id or userName); absent, null or the actor = for oneself */
  ownerId?: string | null;
  scopes: readonly Scope[];
  /** days until expiry (may be fractional); null = never expires */
  lifetimeDays: number | null;
  /** the owner's active tokens now, for maxTokensPerUser; omitted = not checked */
  ownerActiveTokens?: number;
}

export type CreationDecisionCode =
  | 'ALLOWED'
  | 'INVALID_REQUEST'
  | 'ACTOR_INACTIVE'
  | 'OWNER_INACTIVE'
  | 'NO_RULE'
  | 'NOT_ON_BEHALF'
  | 'SCOPE_NOT_ALLOWED'
  | 'EXPIRY_REQUIRED'
  | 'LIFETIME_TOO_LONG'
  | 'TOO_MANY_TOKENS';

export interface CreationDecision {
  allowed: boolean;
  code: CreationDecisionCode;
  /** the rule that decided, e.g. `selfService[developers]`, `onBehalfOf[helpdesk]`, `adminGroup`, `lifetime.maxDays` */
  rule: string;
  /** one sentence for people */
  reason: string;
  /** the highest scope the deciding rule allows (null when no rule applies) */
  maxScope: Scope | null;
}

const rulesOf = (p: PolicyDocument | PolicyRules): PolicyRules => ('rules' in p ? p.rules : p);

function deny(code: CreationDecisionCode, rule: string, reason: string, maxScope: Scope | null = null): CreationDecision {
  return { allowed: false, code, rule, reason, maxScope };
}

interface Grant {
  rule: string;
  maxScope: Scope;
}

function best(grants: Grant[]): Grant | null {
  return grants.reduce<Grant | null>((b, g) => (b === null || scopeRank(g.maxScope) > scopeRank(b.maxScope) ? g : b), null);
}

/**
 * May `actor` create a token with these scopes and lifetime, for itself or for `ownerId`? Pure; the first
 * failing check decides, in this order: request shape, actor and owner active, who/scope rules, lifetime,
 * token count. Administrators (adminGroup members, or an admin credential) pass the who/scope rules for
 * anyone; lifetime and count limits apply to them too. Inactive owners never get new tokens.
 */
export function evaluateCreation(policy: PolicyDocument | PolicyRules, directory: DirectoryView, req: CreationRequest): CreationDecision {
  const rules = rulesOf(policy);
  if (!req.actor || req.scopes.length === 0 || !req.scopes.every(isScope)) {
    return deny('INVALID_REQUEST', 'request', 'a token needs an actor and at least one of the scopes read, write, admin');
  }
  if (req.lifetimeDays !== null && !(req.lifetimeDays > 0)) {
    return deny('INVALID_REQUEST', 'request', 'the lifetime must be a positive number of days, or null for no expiry');
  }
  const actorUser = directory.user(req.actor);
  if (actorUser && (!actorUser.active || actorUser.deleted)) {
    return deny('ACTOR_INACTIVE', 'directory.active', `${actorUser.userName} is deactivated in the directory`);
  }
  const actorIds = userIdentities(directory, req.actor);
  const onBehalf = !!req.ownerId && !userIdentities(directory, req.ownerId).has(req.actor.toLowerCase()) && !actorIds.has(req.ownerId.toLowerCase());
  const ownerRef = onBehalf ? req.ownerId! : req.actor;
  const ownerUser = directory.user(ownerRef);
  if (onBehalf && ownerUser && (!ownerUser.active || ownerUser.deleted)) {
    return deny('OWNER_INACTIVE', 'directory.active', `${ownerUser.userName} is deactivated in the directory`);
  }

  const actorGroups = groupIdentities(directory, req.actor, req.actorGroups ?? []);
  const isAdmin = !!req.actorIsAdmin || matchesGroup([rules.adminGroup], actorGroups, directory);
  const need = highestScope(req.scopes)!;
  let decided: Grant;
  if (isAdmin) {
    decided = { rule: 'adminGroup', maxScope: 'admin' };
  } else if (!onBehalf) {
    const grant = best(
      rules.selfService
        .filter((r) => r.everyone || matchesUser(r.users, actorIds) || matchesGroup(r.groups, actorGroups, directory))
        .map((r) => ({ rule: `selfService[${r.name}]`, maxScope: r.maxScope })),
    );
    if (!grant) return deny('NO_RULE', 'selfService', `no self-service rule lets ${req.actor} create tokens`);
    decided = grant;
  } else {
    const ownerIds = userIdentities(directory, ownerRef);
    const ownerGroups = groupIdentities(directory, ownerRef);
    const grant = best(
      rules.onBehalfOf
        .filter((r) => matchesUser(r.users, actorIds) || matchesGroup(r.groups, actorGroups, directory))
        .filter(
          (r) =>
            (r.targets.everyone && !!ownerUser) ||
            (r.targets.serviceAccounts && ownerUser?.kind === 'serviceAccount') ||
            matchesUser(r.targets.users, ownerIds) ||
            matchesGroup(r.targets.groups, ownerGroups, directory),
        )
        .map((r) => ({ rule: `onBehalfOf[${r.name}]`, maxScope: r.maxScope })),
    );
    if (!grant) return deny('NOT_ON_BEHALF', 'onBehalfOf', `no on-behalf-of rule lets ${req.actor} create tokens for ${ownerRef}`);
    decided = grant;
  }
  if (!scopeWithin(need, decided.maxScope)) {
    return deny('SCOPE_NOT_ALLOWED', decided.rule, `the scope ${need} is not allowed: ${decided.rule} allows at most ${decided.maxScope}`, decided.maxScope);
  }

  const { maxDays, expiryRequired } = rules.lifetime;
  if (req.lifetimeDays === null && maxDays !== null) {
    return deny('EXPIRY_REQUIRED', 'lifetime.maxDays', `tokens must expire within ${maxDays} days`, decided.maxScope);
  }
  if (req.lifetimeDays === null && expiryRequired) {
    return deny('EXPIRY_REQUIRED', 'lifetime.expiryRequired', 'tokens must have an expiry', decided.maxScope);
  }
  if (req.lifetimeDays !== null && maxDays !== null && req.lifetimeDays > maxDays) {
    return deny('LIFETIME_TOO_LONG', 'lifetime.maxDays', `the lifetime may be at most ${maxDays} days`, decided.maxScope);
  }
  if (rules.maxTokensPerUser !== null && req.ownerActiveTokens !== undefined && req.ownerActiveTokens >= rules.maxTokensPerUser) {
    return deny('TOO_MANY_TOKENS', 'maxTokensPerUser', `${ownerRef} already has ${req.ownerActiveTokens} active tokens (at most ${rules.maxTokensPerUser})`, decided.maxScope);
  }
  return {
    allowed: true,
    code: 'ALLOWED',
    rule: decided.rule,
    reason: onBehalf ? `${decided.rule} lets ${req.actor} create ${need} tokens for ${ownerRef}` : `${decided.rule} allows up to ${decided.maxScope}`,
    maxScope: decided.maxScope,
  };
}
