import { Scope, TokenEventDataByType, TokenEventType, TokenView } from '@latchkey/contracts';
import { secretGenerationAccepted } from '@latchkey/token-format';
import { TokenError, TokenErrorCodes } from './token.errors';

/**
 * The token aggregate as pure functions (Emmett style): decide(command, state) -> events,
 * evolve(state, event) -> state. The clock comes in with each command; nothing here does I/O.
 */
export type TokenState = TokenView | null;

export type IssueToken = {
  kind: 'IssueToken';
  tokenId: string;
  ownerId: string;
  createdBy: string;
  name: string;
  scopes: Scope[];
  allowedCidrs: string[];
  expiresAt: Date | null;
  hint: string;
  now: Date;
};
export type RenameToken = { kind: 'RenameToken'; name: string; now: Date };
export type RotateToken = { kind: 'RotateToken'; graceSeconds: number; hint: string; now: Date };
export type RevokeToken = { kind: 'RevokeToken'; reason: string; cause: string; now: Date };
export type ExpireToken = { kind: 'ExpireToken'; now: Date };
export type WarnOfExpiry = { kind: 'WarnOfExpiry'; daysBefore: number; now: Date };
/** a secret of `generation` was presented: revoke if it was rotated away and its grace is over */
export type ReportSecretUse = { kind: 'ReportSecretUse'; generation: number; now: Date };
export type TokenCommand = IssueToken | RenameToken | RotateToken | RevokeToken | ExpireToken | WarnOfExpiry | ReportSecretUse;

export type DecidedEvent = { [T in TokenEventType]: { type: T; data: TokenEventDataByType[T] } }[TokenEventType];

const DAY_MS = 86_400_000;

export function isPastExpiry(state: TokenView, now: Date): boolean {
  return state.expiresAt !== null && Date.parse(state.expiresAt) <= now.getTime();
}

export { secretGenerationAccepted };

export function decide(command: TokenCommand, state: TokenState): DecidedEvent[] {
  if (command.kind === 'IssueToken') return issue(command, state);
  if (!state) throw new TokenError(TokenErrorCodes.notFound, 'token not found');
  switch (command.kind) {
    case 'RenameToken':
      requireActive(state, command.now);
      if (command.name === state.name) return [];
      return [{ type: 'TokenRenamed', data: { name: command.name, previousName: state.name } }];
    case 'RotateToken': {
      requireActive(state, command.now);
      const until = command.graceSeconds > 0 ? new Date(command.now.getTime() + command.graceSeconds * 1000).toISOString() : null;
      return [{ type: 'TokenRotated', data: { secretGeneration: state.secretGeneration + 1, hint: command.hint, previousSecretValidUntil: until } }];
    }
    case 'RevokeToken':
      // revoking twice is not an error: the caller's intent already holds
      if (state.status === 'revoked') return [];
      return [{ type: 'TokenRevoked', data: { reason: command.reason, cause: command.cause } }];
    case 'ExpireToken':
      if (state.status !== 'active' || !isPastExpiry(state, command.now)) return [];
      return [{ type: 'TokenExpired', data: {} }];
    case 'WarnOfExpiry': {
      if (state.status !== 'active' || state.expiresAt === null || state.expiryWarnedAt) return [];
      const warnFrom = Date.parse(state.expiresAt) - command.daysBefore * DAY_MS;
      if (command.now.getTime() < warnFrom || isPastExpiry(state, command.now)) return [];
      return [{ type: 'TokenExpiryWarning', data: { expiresAt: state.expiresAt, daysBefore: command.daysBefore } }];
    }
    case 'ReportSecretUse':
      if (state.status !== 'active' || secretGenerationAccepted(state, command.generation, command.now)) return [];
      if (command.generation > state.secretGeneration) return []; // not a generation this token ever had
      return [
        {
          type: 'TokenRevoked',
          data: { reason: 'a rotated-away secret was presented after its grace period (reuse detected)', cause: 'reuse-detected' },
        },
      ];
  }
}

function issue(command: IssueToken, state: TokenState): DecidedEvent[] {
  if (state) throw new TokenError(TokenErrorCodes.alreadyExists, `token ${command.tokenId} already exists`);
  if (command.expiresAt && command.expiresAt.getTime() <= command.now.getTime()) {
    throw new TokenError(TokenErrorCodes.invalidExpiry, 'expiry must be in the future');
  }
  return [
    {
      type: 'TokenIssued',
      data: {
        name: command.name,
        ownerId: command.ownerId,
        scopes: command.scopes,
        allowedCidrs: command.allowedCidrs,
        expiresAt: command.expiresAt?.toISOString() ?? null,
        hint: command.hint,
      },
    },
  ];
}

function requireActive(state: TokenView, now: Date): void {
  if (state.status !== 'active' || isPastExpiry(state, now)) {
    throw new TokenError(TokenErrorCodes.notActive, `token is ${state.status === 'active' ? 'expired' : state.status}`);
  }
}

export interface EventFacts {
  tokenId: string;
  createdBy: string;
  occurredAt: Date;
  version: number;
}

export function evolve(state: TokenState, event: DecidedEvent, facts: EventFacts): TokenView {
  const at = facts.occurredAt.toISOString();
  switch (event.type) {
    case 'TokenIssued':
      return {
        id: facts.tokenId,
        ownerId: event.data.ownerId,
        createdBy: facts.createdBy,
        name: event.data.name,
        hint: event.data.hint,
        scopes: event.data.scopes,
        allowedCidrs: event.data.allowedCidrs,
        status: 'active',
        createdAt: at,
        expiresAt: event.data.expiresAt,
        revokedAt: null,
        revokedReason: null,
        secretGeneration: 1,
        previousSecretValidUntil: null,
        version: facts.version,
        expiryWarnedAt: null,
      };
    case 'TokenRevoked':
      return { ...required(state), status: 'revoked', revokedAt: at, revokedReason: event.data.reason, version: facts.version };
    case 'TokenRenamed':
      return { ...required(state), name: event.data.name, version: facts.version };
    case 'TokenRotated':
      return {
        ...required(state),
        hint: event.data.hint,
        secretGeneration: event.data.secretGeneration,
        previousSecretValidUntil: event.data.previousSecretValidUntil,
        version: facts.version,
      };
    case 'TokenExpired':
      return { ...required(state), status: 'expired', version: facts.version };
    case 'TokenExpiryWarning':
      return { ...required(state), expiryWarnedAt: at, version: facts.version };
  }
}

function required(state: TokenState): TokenView {
  if (!state) throw new Error('event applied to a token that does not exist');
  return state;
}
