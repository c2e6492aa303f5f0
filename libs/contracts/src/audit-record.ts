/**
 * One record of the SIEM feed on `latchkey.audit.v1`: an audit entry in Elastic Common Schema
 * JSON, keyed by event.id (consumers dedupe on it). Fields not set are absent. docs/audit-siem.md has examples.
 */
export interface AuditEcsRecord {
  '@timestamp': string;
  ecs: { version: string };
  message: string;
  event: {
    id: string;
    kind: 'event';
    module: 'latchkey';
    dataset: 'latchkey.audit';
    provider: string;
    action: string;
    category: string[];
    type: string[];
    outcome: 'success' | 'failure';
    reason?: string;
    created: string;
    sequence: number;
  };
  user?: { id: string; name: string; target?: { id: string; name: string } };
  source?: { ip?: string; address: string };
  user_agent?: { original: string };
  related: { user: string[]; ip?: string[] };
  group?: { id: string; name: string };
  latchkey: {
    actor?: { id: string; via?: string; token_id?: string; on_behalf_of?: string };
    token?: { id: string; owner?: string; name?: string; scopes?: string[]; status?: string; expires_at?: string | null };
    aggregate: { type: string; id: string; version?: number };
    chain: { seq: number; hash: string; prev_hash: string };
    payload_erased?: boolean;
  };
}

/** The audit ingest's dead-letter topic (namespaced like every topic); reason and origin are in headers. */
export const AUDIT_DLQ_TOPIC_NAME = 'latchkey.audit.dlq.v1';
