import { z } from 'zod';
import { OidcVerifierOptions } from './oidc/oidc-access-token.verifier';

/** Treats an empty variable as unset, so `LATCHKEY_OIDC_ISSUER=` disables OIDC. */
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());

/**
 * Environment of the management-API authentication; merge into a service's schema
 * (`baseEnvSchema.merge(authEnvSchema)`).
 */
export const authEnvSchema = z.object({
  /** the OIDC issuer whose access tokens are accepted; unset = OIDC disabled */
  LATCHKEY_OIDC_ISSUER: optionalUrl,
  LATCHKEY_OIDC_AUDIENCE: z.string().min(1).default('latchkey'),
  /** claim naming the user; `sub` when a token lacks it */
  LATCHKEY_OIDC_USER_CLAIM: z.string().min(1).default('preferred_username'),
  /** claim with the user's groups (array or string; dotted path for nested claims such as realm_access.roles) */
  LATCHKEY_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** the JWKS, when not the one the issuer's discovery document names */
  LATCHKEY_OIDC_JWKS_URI: optionalUrl,
  LATCHKEY_OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** OIDC users in this group are administrators */
  LATCHKEY_ADMIN_GROUP: z.string().min(1).default('latchkey-admins'),
});
export type AuthEnv = z.infer<typeof authEnvSchema>;

/** The OIDC verifier settings from a loaded config, or undefined when LATCHKEY_OIDC_ISSUER is unset. */
export function oidcOptionsFromEnv(env: AuthEnv): OidcVerifierOptions | undefined {
  if (!env.LATCHKEY_OIDC_ISSUER) return undefined;
  return {
    issuer: env.LATCHKEY_OIDC_ISSUER,
    audience: env.LATCHKEY_OIDC_AUDIENCE,
    userClaim: env.LATCHKEY_OIDC_USER_CLAIM,
    groupsClaim: env.LATCHKEY_OIDC_GROUPS_CLAIM,
    adminGroup: env.LATCHKEY_ADMIN_GROUP,
    clockToleranceSeconds: env.LATCHKEY_OIDC_CLOCK_TOLERANCE_SECONDS,
    ...(env.LATCHKEY_OIDC_JWKS_URI ? { jwksUri: env.LATCHKEY_OIDC_JWKS_URI } : {}),
  };
}
