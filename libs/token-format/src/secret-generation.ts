/** What a token state says about which of its secrets are accepted (a TokenView has both fields). */
export interface SecretGenerations {
  secretGeneration: number;
  /** end of the rotation grace of the previous secret (ISO 8601), null when there is none */
  previousSecretValidUntil: string | null;
}

/**
 * Whether a secret of the `presented` generation is accepted at `now`: the current one, or the one before it while
 * its rotation grace lasts. The one rule token-service, its auth and every validator apply.
 */
export function secretGenerationAccepted(token: SecretGenerations, presented: number, now: Date): boolean {
  if (presented === token.secretGeneration) return true;
  return (
    presented === token.secretGeneration - 1 &&
    token.previousSecretValidUntil !== null &&
    Date.parse(token.previousSecretValidUntil) > now.getTime()
  );
}
