import { PolicySchema1764400000100 } from './1764400000100-policy-schema';

/** Every migration of the policy schema, oldest first. */
export const POLICY_MIGRATIONS = [PolicySchema1764400000100];
