import { PolicySchema1764400000100 } from './1764400000100-policy-schema';
import { DirectoryProjection1764500000100 } from './1764500000100-directory-projection';

/** Every migration of the policy schema, oldest first. */
export const POLICY_MIGRATIONS = [PolicySchema1764400000100, DirectoryProjection1764500000100];
