import { AuditSchema1764400000000 } from './1764400000000-audit-schema';
import { AuditChain1764500000000 } from './1764500000000-audit-chain';

/** Every migration of the audit schema, oldest first. */
export const AUDIT_MIGRATIONS = [AuditSchema1764400000000, AuditChain1764500000000];
