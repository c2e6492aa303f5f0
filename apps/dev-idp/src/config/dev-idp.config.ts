import { z } from 'zod';
import { loadConfig } from '@latchkey/service-kit';
import { DEMO_USERS, devUsersSchema } from '../users/dev-users';

const jsonOf = <T extends z.ZodTypeAny>(schema: T, what: string) =>
  z.string().transform((raw, ctx): z.infer<T> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${what} must be JSON` });
      return z.NEVER;
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ ...issue, message: `${what}: ${issue.path.join('.')} ${issue.message}` });
      return z.NEVER;
    }
    return result.data;
  });

const privateJwksSchema = z.object({ keys: z.array(z.object({ kty: z.string(), d: z.string() }).passthrough()).min(1) });

/** dev-idp: a real OIDC provider for the local default and the tests only. */
export const devIdpEnvSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3005),
    /** the `iss` of every token; default http://127.0.0.1:<PORT> */
    DEV_IDP_ISSUER: z.string().url().optional(),
    /** JSON array of { userName, groups?, name?, password? } replacing the demo users; password defaults to the user name */
    DEV_IDP_USERS: jsonOf(devUsersSchema, 'DEV_IDP_USERS').optional(),
    /** secret: JSON private JWKS to sign with (stable keys across restarts); generated at start when unset */
    DEV_IDP_JWKS: jsonOf(privateJwksSchema, 'DEV_IDP_JWKS').optional(),
    DEV_IDP_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
    /** secret of the confidential latchkey-admin-ui client */
    DEV_IDP_ADMIN_UI_SECRET: z.string().min(8).default('dev-admin-ui-secret'),
    /** redirect URIs of latchkey-admin-ui, comma-separated */
    DEV_IDP_ADMIN_UI_REDIRECT_URIS: z.string().default('http://127.0.0.1:3000/auth/callback,http://localhost:3000/auth/callback'),
    /** secret of the latchkey-service client (client_credentials grant) */
    DEV_IDP_SERVICE_SECRET: z.string().min(8).default('dev-service-secret'),
  })
  .transform((env) => ({
    ...env,
    DEV_IDP_ISSUER: (env.DEV_IDP_ISSUER ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, ''),
    users: env.DEV_IDP_USERS ?? DEMO_USERS,
    adminUiRedirectUris: env.DEV_IDP_ADMIN_UI_REDIRECT_URIS.split(',').map((u) => u.trim()).filter(Boolean),
  }));
export type DevIdpConfig = z.infer<typeof devIdpEnvSchema>;

export function loadDevIdpConfig(env: NodeJS.ProcessEnv = process.env): DevIdpConfig {
  return loadConfig(devIdpEnvSchema, env);
}
