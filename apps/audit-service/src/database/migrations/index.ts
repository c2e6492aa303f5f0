import { AuditSchema1764400000000 } from './1764400000000-audit-schema';

/** Every migration of the audit schema, oldest first. */
export const AUDIT_MIGRATIONS = [AuditSchema1764400000000];
