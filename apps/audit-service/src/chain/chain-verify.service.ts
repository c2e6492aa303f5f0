import { Inject, Injectable } from '@nestjs/common';
import { AuditEntryRepository } from '../entries/audit-entry.repository';
import { AuditEntry, detailOf, summaryOf } from '../entries/domain/audit-record';
import { CheckpointRepository } from './checkpoint.repository';
import { Checkpoint, checkpointSignatureValid, SigningKey } from './domain/checkpoint';
import { ChainBreak, ChainHead, ChainVerifier, GENESIS_HASH, StoredLink } from './domain/hash-chain';
import { SIGNING_KEY } from './signing-key';

export interface VerifyReport {
  ok: boolean;
  fromSeq: number;
  toSeq: number;
  /** the position writers recorded last (chain_head) */
  headSeq: number;
  checked: number;
  /** entries whose detail retention erased (links still checked) */
  erased: number;
  checkpointsChecked: number;
  latestCheckpoint: { seq: number; signedAt: string } | null;
  firstBroken: ChainBreak | null;
}

const PAGE = 2_000;

function linkOf(e: AuditEntry): StoredLink {
  return {
    seq: e.seq,
    eventId: e.eventId,
    prevHash: e.prevHash,
    detailHash: e.detailHash,
    contentHash: e.contentHash,
    hash: e.hash,
    summary: summaryOf(e),
    detail: detailOf(e),
  };
}

/** Walks the chain (or a range of it) and the signed checkpoints in it; reports the first broken link. */
@Injectable()
export class ChainVerifyService {
  constructor(
    private readonly entries: AuditEntryRepository,
    private readonly checkpoints: CheckpointRepository,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
  ) {}

  async verify(range: { fromSeq?: number; toSeq?: number } = {}): Promise<VerifyReport> {
    const recordedHead = await this.entries.head();
    const fromSeq = range.fromSeq ?? 1;
    const wholeTail = range.toSeq === undefined || range.toSeq >= recordedHead.seq;
    const toSeq = Math.min(range.toSeq ?? recordedHead.seq, recordedHead.seq);
    let after: ChainHead = { seq: 0, hash: GENESIS_HASH };
    let startBreak: ChainBreak | null = null;
    if (fromSeq > 1) {
      const before = await this.entries.entryAt(fromSeq - 1);
      if (before) after = { seq: before.seq, hash: before.hash };
      else startBreak = { seq: fromSeq - 1, eventId: null, problem: 'missing_entry', detail: `entry ${fromSeq - 1} (before the range) is missing` };
    }
    const verifier = new ChainVerifier(after);
    let cursor = after.seq;
    while (!startBreak && cursor < toSeq) {
      const page = await this.entries.readChain(cursor, PAGE, toSeq);
      if (page.length === 0) break;
      let go = true;
      for (const e of page) if (!(go = verifier.accept(linkOf(e)))) break;
      if (!go) break;
      cursor = page[page.length - 1].seq;
    }
    // the recorded head only bounds a walk that reaches the end of the chain
    let broken = startBreak ?? verifier.finish(wholeTail ? recordedHead : null);
    if (!broken && !wholeTail && verifier.head.seq < toSeq) {
      const seq = verifier.head.seq + 1;
      broken = { seq, eventId: null, problem: 'missing_entry', detail: `entry ${seq} is missing` };
    }

    const latest = await this.checkpoints.latest();
    const inRange = await this.checkpoints.between(fromSeq, toSeq);
    if (!broken) broken = await this.checkCheckpoints(inRange);
    if (!broken && latest && wholeTail && latest.seq > verifier.head.seq) {
      broken = {
        seq: verifier.head.seq + 1,
        eventId: null,
        problem: 'tail_truncated',
        detail: `a checkpoint signed at ${latest.signedAt} vouches for entry ${latest.seq}, but the table ends at ${verifier.head.seq}`,
      };
    }
    return {
      ok: broken === null,
      fromSeq,
      toSeq,
      headSeq: recordedHead.seq,
      checked: verifier.checked,
      erased: verifier.erased,
      checkpointsChecked: inRange.length,
      latestCheckpoint: latest ? { seq: latest.seq, signedAt: latest.signedAt } : null,
      firstBroken: broken,
    };
  }

  private async checkCheckpoints(list: Checkpoint[]): Promise<ChainBreak | null> {
    for (const c of list) {
      if (!checkpointSignatureValid(c, this.key.publicKey)) {
        return { seq: c.seq, eventId: null, problem: 'checkpoint_signature_invalid', detail: `checkpoint at ${c.seq} is not signed by the configured key` };
      }
      const e = await this.entries.entryAt(c.seq);
      if (!e || e.hash !== c.hash) {
        return { seq: c.seq, eventId: e?.eventId ?? null, problem: 'checkpoint_mismatch', detail: `entry ${c.seq} is not what the checkpoint of ${c.signedAt} signed` };
      }
    }
    return null;
  }
}
