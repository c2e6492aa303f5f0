import type { TokenView } from '@latchkey/contracts';
import type { TokenFacts } from '../decision/domain';

export { aTokenView } from '@latchkey/testing';

/** What the replica's memory keeps of a token state (the facts a decision reads). */
export function factsOf(view: TokenView): TokenFacts {
  const { id, ownerId, scopes, allowedCidrs, status, createdAt, expiresAt, secretGeneration, previousSecretValidUntil, version } = view;
  return { id, ownerId, scopes, allowedCidrs, status, createdAt, expiresAt, secretGeneration, previousSecretValidUntil, version };
}
