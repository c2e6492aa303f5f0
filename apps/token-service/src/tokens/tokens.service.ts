import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { IssueTokenRequest, TokenView } from '@latchkey/contracts';
import { generateToken, hashToken, tokenHint } from '@latchkey/token-format';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { actorOf, canWrite, isAdmin, Principal } from '../auth/principal';
import { normalizeCidrs } from './domain/cidr';
import { decide, evolve, TokenCommand, TokenState } from './domain/token.decider';
import { TokenError, TokenErrorCodes } from './domain/token.errors';
import { CLOCK, Clock } from './clock';
import { TokenRepository } from './token.repository';

const DAY_MS = 86_400_000;

/** Token use cases: authorisation of the caller, the decision, persistence. */
@Injectable()
export class TokensService {
  constructor(
    private readonly tokens: TokenRepository,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(principal: Principal, request: IssueTokenRequest): Promise<{ token: TokenView; secret: string }> {
    this.requireWrite(principal);
    const ownerId = request.ownerId ?? principal.userId;
    if (ownerId !== principal.userId && !isAdmin(principal)) {
      throw new TokenError(TokenErrorCodes.forbiddenOwner, 'only administrators may create tokens on behalf of others');
    }
    if (request.scopes.includes('admin') && !isAdmin(principal)) {
      throw new TokenError(TokenErrorCodes.forbiddenScope, 'only administrators may grant the admin scope');
    }
    return this.issueFor(ownerId, principal, request);
  }

  /** Issues without caller checks: for the bootstrap admin token only. */
  async issueFor(ownerId: string, principal: Principal, request: IssueTokenRequest): Promise<{ token: TokenView; secret: string }> {
    const now = this.clock.now();
    const expiresAt = this.expiryOf(request, now);
    const secret = generateToken(randomBytes, this.config.LATCHKEY_TOKEN_PREFIX);
    const command: TokenCommand = {
      kind: 'IssueToken',
      tokenId: uuidv7(),
      ownerId,
      createdBy: principal.userId,
      name: request.name,
      scopes: [...request.scopes],
      allowedCidrs: normalizeCidrs(request.allowedCidrs ?? []),
      expiresAt,
      hint: tokenHint(secret, this.config.LATCHKEY_TOKEN_PREFIX),
      now,
    };
    const { change } = this.run(command, null, 0, principal, ownerId, now);
    await this.tokens.create(change, hashToken(this.config.LATCHKEY_PEPPER, secret));
    return { token: change.states[change.states.length - 1], secret };
  }

  async get(principal: Principal, id: string): Promise<TokenView> {
    return this.visible(principal, id);
  }

  async listOwn(principal: Principal): Promise<TokenView[]> {
    return this.tokens.listByOwner(principal.userId, 500);
  }

  async revoke(principal: Principal, id: string, reason = 'revoked by user'): Promise<TokenView> {
    this.requireWrite(principal);
    const current = await this.visible(principal, id);
    const now = this.clock.now();
    const { change, state } = this.run({ kind: 'RevokeToken', reason, now }, current, current.version, principal, current.ownerId, now);
    if (change.events.length > 0) await this.tokens.update(current.version, change);
    return state;
  }

  /** Others' tokens are "not found", not "forbidden", so ids are no oracle. */
  private async visible(principal: Principal, id: string): Promise<TokenView> {
    const token = await this.tokens.findById(id);
    if (!token || (token.ownerId !== principal.userId && !isAdmin(principal))) {
      throw new TokenError(TokenErrorCodes.notFound, `token ${id} not found`);
    }
    return token;
  }

  private requireWrite(principal: Principal): void {
    if (!canWrite(principal)) throw new TokenError(TokenErrorCodes.readOnlyCredential, 'a read-scope credential cannot change tokens');
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

  private run(command: TokenCommand, state: TokenState, version: number, principal: Principal, ownerId: string, now: Date) {
    const events = decide(command, state);
    const states: TokenView[] = [];
    let current = state;
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
