import { Scope, TokenEventDataByType, TokenEventType, TokenView } from '@latchkey/contracts';
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
export type RevokeToken = { kind: 'RevokeToken'; reason: string; now: Date };
export type TokenCommand = IssueToken | RevokeToken;

export type DecidedEvent = { [T in TokenEventType]: { type: T; data: TokenEventDataByType[T] } }[TokenEventType];

export function decide(command: TokenCommand, state: TokenState): DecidedEvent[] {
  switch (command.kind) {
    case 'IssueToken': {
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
    case 'RevokeToken': {
      if (!state) throw new TokenError(TokenErrorCodes.notFound, 'token not found');
      // revoking twice is not an error: the caller's intent already holds
      if (state.status === 'revoked') return [];
      return [{ type: 'TokenRevoked', data: { reason: command.reason } }];
    }
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
  }
}

function required(state: TokenState): TokenView {
  if (!state) throw new Error('event applied to a token that does not exist');
  return state;
}
