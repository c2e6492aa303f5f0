import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { EventEnvelope, IssueTokenRequest, RevocationAck, TokenDetails, TokenManagerQuery, TokenView } from '@latchkey/contracts';
import { StreamVersionConflictError } from '@latchkey/event-store';
import { generateToken, hashToken, parseToken, tokenHint } from '@latchkey/token-format';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { actorOf, canWrite, isAdmin, Principal, SYSTEM_PRINCIPAL } from '../auth/principal';
import { REVOCATION_ACKNOWLEDGEMENTS, RevocationAcknowledgements } from '../revocation/revocation-acknowledgements.port';
import { normalizeCidrs } from './domain/cidr';
import { decide, evolve, TokenCommand, TokenState } from './domain/token.decider';
import { TokenError, TokenErrorCodes } from './domain/token.errors';
import { CLOCK, Clock } from './clock';
import { evaluateCreation } from '@latchkey/policy-engine';
import { PolicyView } from '../policy/policy-view';
import { ManagerPage, RecordedChange, TokenRepository } from './token.repository';

const DAY_MS = 86_400_000;
const SYSTEM = SYSTEM_PRINCIPAL;

export interface RevokeOptions {
  reason?: string;
  /** wait for every live validation replica to confirm; false answers at once */
  wait?: boolean;
}

export interface RevokeResult {
  token: TokenView;
  propagation: RevocationAck;
}

/** Token use cases: who may do it, the decision, persistence; no HTTP or SQL here. */
@Injectable()
export class TokensService {
  constructor(
    private readonly tokens: TokenRepository,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REVOCATION_ACKNOWLEDGEMENTS) private readonly acks: RevocationAcknowledgements,
    private readonly policy: PolicyView,
  ) {}

  async issue(principal: Principal, request: IssueTokenRequest): Promise<{ token: TokenView; secret: string }> {
    this.requireWrite(principal);
    // on behalf of others: administrators, or whom the policy's onBehalfOf rules allow (decided below)
    const ownerId = request.ownerId ?? principal.userId;
    if (request.scopes.includes('admin') && !isAdmin(principal)) {
      throw new TokenError(TokenErrorCodes.forbiddenScope, 'only administrators may grant the admin scope');
    }
    const now = this.clock.now();
    const expiresAt = this.expiryOf(request, now);
    const decision = evaluateCreation(this.policy.policy, this.policy.directory, {
      actor: principal.userId,
      actorGroups: principal.groups,
      actorIsAdmin: principal.isAdmin,
      ownerId,
      scopes: request.scopes,
      lifetimeDays: expiresAt ? (expiresAt.getTime() - now.getTime()) / DAY_MS : null,
      ownerActiveTokens: await this.tokens.countActiveByOwner(ownerId),
    });
    if (!decision.allowed) {
      throw new TokenError(TokenErrorCodes.notPermitted, decision.reason, { rule: decision.rule, decision: decision.code, maxScope: decision.maxScope });
    }
    return this.create(ownerId, principal, request, now, expiresAt);
  }

  /** Issues without caller checks: for the bootstrap admin token. */
  async issueFor(ownerId: string, principal: Principal, request: IssueTokenRequest): Promise<{ token: TokenView; secret: string }> {
    const now = this.clock.now();
    return this.create(ownerId, principal, request, now, this.expiryOf(request, now));
  }

  private async create(ownerId: string, principal: Principal, request: IssueTokenRequest, now: Date, expiresAt: Date | null): Promise<{ token: TokenView; secret: string }> {
    const secret = generateToken(randomBytes, this.config.LATCHKEY_TOKEN_PREFIX);
    const command: TokenCommand = {
      kind: 'IssueToken',
      tokenId: uuidv7(),
      ownerId,
      createdBy: principal.userId,
      name: request.name.trim(),
      scopes: [...request.scopes],
      allowedCidrs: normalizeCidrs(request.allowedCidrs ?? []),
      expiresAt,
      hint: tokenHint(secret, this.config.LATCHKEY_TOKEN_PREFIX),
      now,
    };
    const { change, state } = this.run(command, null, principal, ownerId, now);
    await this.tokens.create(change, hashToken(this.config.LATCHKEY_PEPPER, secret));
    return { token: state, secret };
  }

  async get(principal: Principal, id: string): Promise<TokenDetails> {
    const details = await this.tokens.findDetails(id);
    if (!details || !this.mayAccess(principal, details)) throw notFound(id);
    return this.withOwnerState(details);
  }

  async listOwn(principal: Principal): Promise<TokenDetails[]> {
    return (await this.tokens.listByOwner(principal.userId, 1000)).map((t) => this.withOwnerState(t));
  }

  async listForManager(principal: Principal, query: TokenManagerQuery): Promise<ManagerPage> {
    this.requireAdmin(principal);
    const ownerIn = query.group ? this.policy.memberRefs(query.group) : undefined;
    const page = await this.tokens.listForManager(query, ownerIn);
    return { ...page, items: page.items.map((t) => this.withOwnerState(t)) };
  }

  /** A deactivated user's tokens (blocked mode): revoke everything created before the deactivation. */
  async revokeForDeactivatedOwner(ownerRefs: string[], before: Date): Promise<number> {
    let revoked = 0;
    for (const id of await this.tokens.activeIdsOfOwners(ownerRefs, before)) {
      const current = await this.tokens.findById(id);
      if (!current) continue;
      const { events } = await this.revokeOne(SYSTEM, current, 'the owner was deactivated in the directory', 'owner-deactivated');
      if (events.length > 0) revoked++;
    }
    return revoked;
  }

  /** An active token whose owner the directory has deactivated shows as blocked (reactivation restores it). */
  private withOwnerState(t: TokenDetails): TokenDetails {
    return t.effectiveStatus === 'active' && !this.policy.ownerActive(t.ownerId) ? { ...t, effectiveStatus: 'blocked' } : t;
  }

  async rename(principal: Principal, id: string, name: string): Promise<TokenView> {
    this.requireWrite(principal);
    return this.change(principal, id, (now) => ({ kind: 'RenameToken', name: name.trim(), now }));
  }

  async rotate(principal: Principal, id: string, graceSeconds: number): Promise<{ token: TokenView; secret: string }> {
    this.requireWrite(principal);
    const current = await this.visible(principal, id);
    const now = this.clock.now();
    const secret = generateToken(randomBytes, this.config.LATCHKEY_TOKEN_PREFIX);
    const command: TokenCommand = { kind: 'RotateToken', graceSeconds, hint: tokenHint(secret, this.config.LATCHKEY_TOKEN_PREFIX), now };
    const { change, state } = this.run(command, current, principal, current.ownerId, now);
    await this.tokens.update(current.version, change, hashToken(this.config.LATCHKEY_PEPPER, secret));
    return { token: state, secret };
  }

  async revoke(principal: Principal, id: string, options: RevokeOptions = {}): Promise<RevokeResult> {
    this.requireWrite(principal);
    const current = await this.visible(principal, id);
    const reason = options.reason ?? (isAdmin(principal) && current.ownerId !== principal.userId ? 'revoked by an administrator' : 'revoked by its owner');
    const { token, events } = await this.revokeOne(principal, current, reason, isAdmin(principal) ? 'admin' : 'user');
    return { token, propagation: await this.propagation(events, options.wait) };
  }

  /** Admin bulk revoke by ids or by owner; one propagation wait for all of them. */
  async revokeMany(principal: Principal, target: { ids?: string[]; ownerId?: string }, options: RevokeOptions = {}): Promise<{ revoked: number; propagation: RevocationAck }> {
    this.requireAdmin(principal);
    const ids = target.ids ?? (await this.tokens.idsByOwner(target.ownerId as string, true));
    const events: EventEnvelope[] = [];
    let revoked = 0;
    for (const id of ids) {
      const current = await this.tokens.findById(id);
      if (!current) continue; // unknown ids are skipped, not an error: the caller's intent holds
      const result = await this.revokeOne(principal, current, options.reason ?? 'bulk revocation by an administrator', 'bulk');
      if (result.events.length > 0) revoked++;
      events.push(...result.events);
    }
    return { revoked, propagation: await this.propagation(events, options.wait) };
  }

  /** Public report of strings found in the wild: valid active tokens are revoked; the answer says how many, not which. */
  async reportLeaked(strings: string[]): Promise<{ received: number; revoked: number }> {
    const hashes = new Set<string>();
    for (const s of strings) {
      const parsed = parseToken(s.trim(), this.config.LATCHKEY_TOKEN_PREFIX);
      if (parsed.ok) hashes.add(hashToken(this.config.LATCHKEY_PEPPER, parsed.token));
    }
    let revoked = 0;
    for (const found of await this.tokens.findBySecretHashes([...hashes])) {
      const { events } = await this.revokeOne(SYSTEM, found.token, 'reported as leaked', 'leaked');
      if (events.length > 0) revoked++;
    }
    return { received: strings.length, revoked };
  }

  /** A validator saw this secret: if it was rotated away and its grace is over, the token is revoked (reuse detection). */
  async reportSecretUse(secretHash: string): Promise<{ revoked: boolean }> {
    const found = await this.tokens.findBySecretHash(secretHash);
    if (!found) return { revoked: false };
    const events = await this.retrying(found.token.id, (_state, now) => ({ kind: 'ReportSecretUse', generation: found.secretGeneration, now }), SYSTEM);
    this.acks.announce(events);
    return { revoked: events.length > 0 };
  }

  /** Revocation requested through RFC 7009 by a registered client, on behalf of whoever holds the token. */
  async revokeBySecretHash(secretHash: string, reason: string): Promise<{ revoked: boolean }> {
    const found = await this.tokens.findBySecretHash(secretHash);
    if (!found) return { revoked: false };
    const { events } = await this.revokeOne(SYSTEM, found.token, reason, 'rfc7009');
    return { revoked: events.length > 0 };
  }

  /** Scheduler step for one token: TokenExpired or TokenExpiryWarning, each exactly once across replicas. */
  async expireOrWarn(token: TokenView): Promise<EventEnvelope[]> {
    const expired = await this.retrying(token.id, (_s, now) => ({ kind: 'ExpireToken', now }), SYSTEM);
    if (expired.length > 0) return expired;
    return this.retrying(token.id, (_s, now) => ({ kind: 'WarnOfExpiry', daysBefore: this.config.LATCHKEY_EXPIRY_WARNING_DAYS, now }), SYSTEM);
  }

  private async revokeOne(principal: Principal, current: TokenView, reason: string, cause: string): Promise<{ token: TokenView; events: EventEnvelope[] }> {
    let token = current;
    const events = await this.retrying(current.id, (_state, now) => ({ kind: 'RevokeToken', reason, cause, now }), principal, current, (s) => (token = s));
    // committed: straight to the replicas too, ahead of the outbox relay and the topic
    this.acks.announce(events);
    return { token, events };
  }

  private async propagation(events: EventEnvelope[], wait = true): Promise<RevocationAck> {
    if (events.length === 0 || !wait) return { replicas: 0, confirmed: 0, waitedMs: 0 };
    return this.acks.waitFor(events.map((e) => e.eventId), this.config.LATCHKEY_REVOKE_WAIT_MS);
  }

  private async change(principal: Principal, id: string, command: (now: Date) => TokenCommand): Promise<TokenView> {
    const current = await this.visible(principal, id);
    const now = this.clock.now();
    const { change, state } = this.run(command(now), current, principal, current.ownerId, now);
    if (change.events.length > 0) await this.tokens.update(current.version, change);
    return state;
  }

  /**
   * Decide on the latest state and append; on a concurrent change (version conflict) decide again on the new
   * state, so system-driven commands (revoke, expire) never fail because of a race and never apply twice.
   */
  private async retrying(
    id: string,
    command: (state: TokenView, now: Date) => TokenCommand,
    principal: Principal,
    known?: TokenView,
    onState?: (s: TokenView) => void,
  ): Promise<EventEnvelope[]> {
    let current = known ?? (await this.tokens.findById(id));
    for (let attempt = 0; current && attempt < 5; attempt++) {
      const now = this.clock.now();
      const { change, state } = this.run(command(current, now), current, principal, current.ownerId, now);
      onState?.(state);
      if (change.events.length === 0) return [];
      try {
        return await this.tokens.update(current.version, change);
      } catch (err) {
        if (!(err instanceof StreamVersionConflictError)) throw err;
        current = await this.tokens.findById(id);
      }
    }
    return [];
  }

  private mayAccess(principal: Principal, token: TokenView): boolean {
    return token.ownerId === principal.userId || isAdmin(principal);
  }

  /** Others' tokens are "not found", not "forbidden", so ids are no oracle. */
  private async visible(principal: Principal, id: string): Promise<TokenView> {
    const token = await this.tokens.findById(id);
    if (!token || !this.mayAccess(principal, token)) throw notFound(id);
    return token;
  }

  private requireWrite(principal: Principal): void {
    if (!canWrite(principal)) throw new TokenError(TokenErrorCodes.readOnlyCredential, 'a read-scope credential cannot change tokens');
  }

  private requireAdmin(principal: Principal): void {
    if (!isAdmin(principal)) throw new TokenError(TokenErrorCodes.adminOnly, 'only administrators may use the token manager');
  }

  private expiryOf(request: IssueTokenRequest, now: Date): Date | null {
    if (request.expiresAt !== undefined && request.expiresInDays !== undefined) {
      throw new TokenError(TokenErrorCodes.invalidExpiry, 'give either expiresAt or expiresInDays, not both');
    }
    if (request.expiresInDays !== undefined) return new Date(now.getTime() + request.expiresInDays * DAY_MS);
    if (request.expiresAt !== undefined) {
      const at = new Date(request.expiresAt);
      if (Number.isNaN(at.getTime())) throw new TokenError(TokenErrorCodes.invalidExpiry, 'expiresAt is not a valid date');
      if (at.getTime() <= now.getTime()) throw new TokenError(TokenErrorCodes.invalidExpiry, 'expiresAt must be in the future');
      return at;
    }
    return null;
  }

  private run(command: TokenCommand, state: TokenState, principal: Principal, ownerId: string, now: Date): { change: RecordedChange; state: TokenView } {
    const events = decide(command, state);
    const states: TokenView[] = [];
    let current = state;
    const version = state?.version ?? 0;
    events.forEach((event, i) => {
      current = evolve(current, event, {
        tokenId: command.kind === 'IssueToken' ? command.tokenId : (state as TokenView).id,
        createdBy: principal.userId,
        occurredAt: now,
        version: version + i + 1,
      });
      states.push(current);
    });
    return { change: { events, states, actor: actorOf(principal, ownerId), occurredAt: now }, state: current as TokenView };
  }
}

function notFound(id: string): TokenError {
  return new TokenError(TokenErrorCodes.notFound, `token ${id} not found`);
}
