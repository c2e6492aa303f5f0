import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTransaction } from '@latchkey/event-store';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { Checkpoint } from './domain/checkpoint';
import { ChainHead } from './domain/hash-chain';

interface CheckpointRow {
  seq: string;
  hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  seq: Number(r.seq),
  hash: r.hash,
  signedAt: r.signed_at.toISOString(),
  keyId: r.key_id,
  signature: r.signature,
});

/** Signed checkpoints of the chain: append-only, one per head position at most. */
@Injectable()
export class CheckpointRepository {
  private readonly s: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AUDIT_SERVICE_CONFIG) config: AuditServiceConfig,
  ) {
    this.s = `"${config.LATCHKEY_AUDIT_SCHEMA}"`;
  }

  /**
   * Signs the current head if it moved since the last checkpoint. The head row is read FOR SHARE, so the
   * checkpoint matches a committed position; a concurrent replica doing the same gets a duplicate, skipped.
   */
  async checkpointHead(sign: (head: ChainHead) => Checkpoint, publicKey: string): Promise<Checkpoint | null> {
    return withTransaction(this.db, async (tx) => {
      const [head] = await tx.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.s}.chain_head WHERE id = 1 FOR SHARE`);
      const seq = Number(head.seq);
      if (seq === 0) return null;
      const [last] = await tx.query<{ seq: string }>(`SELECT max(seq) AS seq FROM ${this.s}.checkpoints`);
      if (last.seq !== null && Number(last.seq) >= seq) return null;
      const c = sign({ seq, hash: head.hash });
      const rows = await tx.query(
        `INSERT INTO ${this.s}.checkpoints (seq, hash, signed_at, key_id, public_key, signature)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq) DO NOTHING RETURNING seq`,
        [c.seq, c.hash, c.signedAt, c.keyId, publicKey, c.signature],
      );
      return rows.length > 0 ? c : null;
    });
  }

  async latest(): Promise<Checkpoint | null> {
    const rows = await this.db.query<CheckpointRow[]>(
      `SELECT seq, hash, signed_at, key_id, signature FROM ${this.s}.checkpoints ORDER BY seq DESC LIMIT 1`,
    );
    return rows.length > 0 ? toCheckpoint(rows[0]) : null;
  }

  /** checkpoints within [fromSeq, toSeq], ascending */
  async between(fromSeq: number, toSeq: number): Promise<Checkpoint[]> {
    const rows = await this.db.query<CheckpointRow[]>(
      `SELECT seq, hash, signed_at, key_id, signature FROM ${this.s}.checkpoints WHERE seq BETWEEN $1 AND $2 ORDER BY seq`,
      [fromSeq, toSeq],
    );
    return rows.map(toCheckpoint);
  }
}
