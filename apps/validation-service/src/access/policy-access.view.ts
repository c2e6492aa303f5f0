import { EMPTY_POLICY, EventEnvelope, PolicyDocument, UserKind } from '@latchkey/contracts';
import { Cidr, compileCidrs, CredentialKind, DirectoryView, evaluateRequest, evolvePolicy, ipInCidrs, RequestFacts } from '@latchkey/policy-engine';
import type { AccessView, DecisionRequest, PasswordDecisionCode, TokenFacts } from '../decision/domain';

/**
 * The facts evaluateRequest reads, reused across calls (the hot path is synchronous, so one instance per view is
 * safe): no per-request object, and the user's groups are only computed when a rule asks for them.
 */
class ReusableFacts implements RequestFacts {
  userId = '';
  userActive: boolean | null = null;
  userKind: UserKind | undefined = undefined;
  ip = '';
  method = '';
  path = '/';
  credential: CredentialKind = 'token';

  constructor(private readonly directory: DirectoryView) {}

  get userGroups(): readonly string[] {
    return this.directory.groupNamesOf(this.userId);
  }

  fill(userRef: string, request: DecisionRequest, credential: CredentialKind): this {
    const user = this.directory.user(userRef);
    this.userId = userRef;
    this.userActive = user ? user.active && !user.deleted : null;
    this.userKind = user?.kind;
    this.ip = request.ip;
    this.method = request.method;
    this.path = request.path ?? '/';
    this.credential = credential;
    return this;
  }
}

/**
 * This replica's copy of the directory and the policy document (fed from latchkey.directory.v1 and
 * latchkey.policy.v1), answering the decision's AccessView with @latchkey/policy-engine: no call to
 * policy-service, nothing cached per decision, so an applied UserDeactivated changes the very next answer.
 */
export class PolicyAccessView implements AccessView {
  readonly directory = new DirectoryView();
  private current: PolicyDocument = EMPTY_POLICY;
  private allowlist: Cidr[] = compileCidrs(EMPTY_POLICY.rules.ipAllowlist);
  private readonly facts = new ReusableFacts(this.directory);

  get policy(): PolicyDocument {
    return this.current;
  }

  /** a policy-topic event; true when it changed the document this replica holds */
  applyPolicyEvent(event: EventEnvelope): boolean {
    const next = evolvePolicy(this.current, event);
    if (next === this.current) return false;
    if (next.rules !== this.current.rules) this.allowlist = compileCidrs(next.rules.ipAllowlist);
    this.current = next;
    return true;
  }

  /** a directory-topic event; true when applied (false for older or repeated ones) */
  applyDirectoryEvent(event: EventEnvelope): boolean {
    return this.directory.apply(event);
  }

  isUserActive(userId: string): boolean {
    const user = this.directory.user(userId);
    return !user || (user.active && !user.deleted);
  }

  isIpAllowed(ip: string): boolean {
    return this.allowlist.length === 0 || ipInCidrs(ip, this.allowlist);
  }

  passwordDecision(user: string, request: DecisionRequest): PasswordDecisionCode {
    const decision = evaluateRequest(this.current, this.facts.fill(user, request, 'password'));
    // OK is the engine's answer for tokens only; a password that passes is PASSWORD
    return decision.code === 'OK' ? 'PASSWORD' : decision.code;
  }

  permits(token: TokenFacts, request: DecisionRequest): boolean {
    return evaluateRequest(this.current, this.facts.fill(token.ownerId, request, 'token')).allowed;
  }
}
