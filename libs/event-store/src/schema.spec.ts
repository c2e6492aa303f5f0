import { checkSchemaName, eventStoreSchemaSql, outboxChannel } from './schema';
import { StreamVersionConflictError } from './stream-version-conflict.error';

describe(eventStoreSchemaSql.name, () => {
  it('creates the schema, events, outbox and the unpublished index, all idempotently', () => {
    const sql = eventStoreSchemaSql('token_service');
    expect(sql).toHaveLength(4);
    expect(sql.every((s) => /IF NOT EXISTS/.test(s))).toBe(true);
    expect(sql[1]).toContain('"token_service".events');
    expect(sql[1]).toContain('UNIQUE (stream_id, version)');
    expect(sql[3]).toContain('WHERE published_at IS NULL');
  });

  it('refuses schema names that are not plain identifiers', () => {
    expect(() => checkSchemaName('x"; DROP TABLE y; --')).toThrow(/invalid schema name/);
    expect(() => eventStoreSchemaSql('Upper')).toThrow();
    expect(outboxChannel('token_service')).toBe('token_service_outbox');
  });
});

describe(StreamVersionConflictError.name, () => {
  it('carries its code, stream and versions', () => {
    const err = new StreamVersionConflictError('t1', 2, 3);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', streamId: 't1', expectedVersion: 2, actualVersion: 3 });
    expect(err.message).toContain('expected version 2');
  });
});
