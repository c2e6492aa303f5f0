import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
/** Bumped if the hashed form ever changes; part of every link so old and new entries cannot be confused. */
export const CHAIN_FORMAT = 1;

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * What one entry's hash covers, split in two: the summary (kept for ever) and the detail (payload, IP and user
 * agent, which retention may erase). The summary holds the detail's hash, so erasing the detail later leaves the
 * chain verifiable: the stored detail hash still links into the summary.
 */
export interface ChainContent {
  summary: Record<string, unknown>;
  detail: Record<string, unknown>;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** A link as stored: its position, the previous link's hash, the hashes of its content, and its own hash. */
export interface ChainLink {
  seq: number;
  prevHash: string;
  detailHash: string;
  contentHash: string;
  hash: string;
}

export function detailHashOf(detail: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(detail));
}

export function contentHashOf(summary: Record<string, unknown>, detailHash: string): string {
  return sha256Hex(canonicalJson({ ...summary, detailHash }));
}

export function linkHashOf(seq: number, prevHash: string, contentHash: string): string {
  // exactly canonicalJson({ v, seq, prevHash, contentHash }) (keys sorted), spelled out: it runs once per entry
  if (!Number.isSafeInteger(seq)) throw new TypeError('a chain position must be a safe integer');
  return sha256Hex(`{"contentHash":${JSON.stringify(contentHash)},"prevHash":${JSON.stringify(prevHash)},"seq":${seq},"v":${CHAIN_FORMAT}}`);
}

/** The hashes of one entry's content: they do not depend on its position, so they can be computed ahead of the append. */
export interface ContentHashes {
  detailHash: string;
  contentHash: string;
}

export function hashContent(c: ChainContent): ContentHashes {
  const detailHash = detailHashOf(c.detail);
  return { detailHash, contentHash: contentHashOf(c.summary, detailHash) };
}

/** Links already hashed contents after head, in order: one SHA-256 per entry (the part that needs the head). */
export function linkAfter(head: ChainHead, hashed: ContentHashes[]): { links: ChainLink[]; head: ChainHead } {
  let { seq, hash } = head;
  const links = hashed.map(({ detailHash, contentHash }) => {
    seq += 1;
    const link: ChainLink = { seq, prevHash: hash, detailHash, contentHash, hash: linkHashOf(seq, hash, contentHash) };
    hash = link.hash;
    return link;
  });
  return { links, head: { seq, hash } };
}

/** Links the given contents after head, in order. Pure: the caller stores the links and the new head together. */
export function appendToChain(head: ChainHead, contents: ChainContent[]): { links: ChainLink[]; head: ChainHead } {
  return linkAfter(head, contents.map(hashContent));
}

/** One stored entry as the verifier reads it back; detail is null once retention erased it. */
export interface StoredLink {
  seq: number;
  eventId: string;
  prevHash: string;
  detailHash: string;
  contentHash: string;
  hash: string;
  summary: Record<string, unknown>;
  detail: Record<string, unknown> | null;
}

export type ChainProblem =
  /** a position is missing (a deleted row) */
  | 'missing_entry'
  /** the summary or the detail no longer hashes to what was stored (an altered row) */
  | 'content_altered'
  /** prevHash is not the previous entry's hash, or the stored hash is not the hash of this link */
  | 'link_broken'
  /** the stored head, or a signed checkpoint, is beyond or different from what the table holds (a truncated tail) */
  | 'tail_truncated'
  | 'checkpoint_mismatch'
  | 'checkpoint_signature_invalid';

export interface ChainBreak {
  seq: number;
  eventId: string | null;
  problem: ChainProblem;
  detail: string;
}

/**
 * Walks stored links in ascending order and stops at the first broken one. Start it with the position and hash
 * the walk begins after (GENESIS_HASH at 0 for the whole chain, or the link before a range).
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private _checked = 0;
  private _erased = 0;
  private _broken: ChainBreak | null = null;

  constructor(after: ChainHead = { seq: 0, hash: GENESIS_HASH }) {
    this.expectedSeq = after.seq + 1;
    this.prevHash = after.hash;
  }

  get checked(): number {
    return this._checked;
  }

  /** entries whose detail retention erased: their links are checked, their detail cannot be */
  get erased(): number {
    return this._erased;
  }

  get broken(): ChainBreak | null {
    return this._broken;
  }

  get head(): ChainHead {
    return { seq: this.expectedSeq - 1, hash: this.prevHash };
  }

  /** false once a break was found (later links are not looked at) */
  accept(link: StoredLink): boolean {
    if (this._broken) return false;
    const fail = (problem: ChainProblem, detail: string, seq = link.seq, eventId: string | null = link.eventId) => {
      this._broken = { seq, eventId, problem, detail };
      return false;
    };
    if (link.seq !== this.expectedSeq) {
      return fail('missing_entry', `entry ${this.expectedSeq} is missing (next stored is ${link.seq})`, this.expectedSeq, null);
    }
    if (link.detail !== null && detailHashOf(link.detail) !== link.detailHash) {
      return fail('content_altered', 'the payload, IP or user agent differs from what was hashed');
    }
    if (contentHashOf(link.summary, link.detailHash) !== link.contentHash) {
      return fail('content_altered', 'the recorded fields differ from what was hashed');
    }
    if (link.prevHash !== this.prevHash) return fail('link_broken', 'prevHash is not the hash of the previous entry');
    if (linkHashOf(link.seq, link.prevHash, link.contentHash) !== link.hash) {
      return fail('link_broken', 'the stored hash is not the hash of this link');
    }
    this._checked += 1;
    if (link.detail === null) this._erased += 1;
    this.expectedSeq += 1;
    this.prevHash = link.hash;
    return true;
  }

  /** Call after the last link: the table must reach the head position that writers recorded. */
  finish(recordedHead: ChainHead | null): ChainBreak | null {
    if (this._broken || !recordedHead) return this._broken;
    const { seq } = this.head;
    if (recordedHead.seq > seq) {
      this._broken = {
        seq: seq + 1,
        eventId: null,
        problem: 'tail_truncated',
        detail: `the chain head is at ${recordedHead.seq} but the table ends at ${seq}`,
      };
    } else if (recordedHead.seq === seq && recordedHead.hash !== this.prevHash) {
      this._broken = { seq, eventId: null, problem: 'link_broken', detail: 'the last entry is not the recorded chain head' };
    }
    return this._broken;
  }
}
