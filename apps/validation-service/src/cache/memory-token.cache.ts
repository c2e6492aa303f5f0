import { LRUCache } from 'lru-cache';
import type { Scope, TokenStatus } from '@latchkey/contracts';
import type { LookupFacts, TokenFacts } from '../decision/domain';
import type { HashRef } from './token-read-model.port';

export interface MemoryTokenCacheOptions {
  maxEntries: number;
  /** bound on the approximate heap the token entries take (hash mappings and states, half each) */
  maxBytes?: number;
  ttlMs: number;
  negativeTtlMs: number;
}

const NO_CIDRS: readonly string[] = Object.freeze([]);
const STATUSES: readonly TokenStatus[] = ['active', 'revoked', 'expired'];
/** approximate heap bytes of one entry, fitted to a heap snapshot (~470 B per cached token, mapping and state) */
const hashEntryBytes = (_ref: HashRef, hmac: string): number => 120 + hmac.length;
const tokenEntryBytes = (token: TokenFacts): number =>
  300 + token.id.length + token.allowedCidrs.reduce((n, cidr) => n + 40 + cidr.length, 0);

/** distinct owner ids kept for sharing; past this the pool starts over (sharing is only a saving) */
const MAX_POOLED_OWNERS = 100_000;

/**
 * The in-process layer: HMAC -> token id + generation, token id -> latest token facts, and recent "no such token"
 * answers. Token states only ever move forward (by version), so a slow lookup cannot undo an applied event.
 *
 * Entries are compact (measured at 100k tokens: a full TokenView parsed from JSON costs ~700 B of heap, the facts
 * a decision reads with shared owner ids and scope lists about half): only the fields a decision reads, owner ids
 * and scope lists shared between tokens, status as the literal.
 */
export class MemoryTokenCache {
  private readonly hashes: LRUCache<string, HashRef>;
  private readonly tokens: LRUCache<string, TokenFacts>;
  private readonly negatives: LRUCache<string, true> | null;
  private readonly owners = new Map<string, string>();
  private readonly scopeLists = new Map<string, Scope[]>();
  /** bumped whenever a token may have appeared, so a 404 fetched before that is not remembered */
  private negativeEpoch = 0;

  constructor(options: MemoryTokenCacheOptions) {
    const half = options.maxBytes !== undefined ? Math.floor(options.maxBytes / 2) : undefined;
    this.hashes = new LRUCache<string, HashRef>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      ...(half !== undefined && { maxSize: half, sizeCalculation: hashEntryBytes }),
    });
    this.tokens = new LRUCache<string, TokenFacts>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      ...(half !== undefined && { maxSize: half, sizeCalculation: tokenEntryBytes }),
    });
    this.negatives =
      options.negativeTtlMs > 0
        ? new LRUCache<string, true>({ max: Math.min(options.maxEntries, 10_000), ttl: options.negativeTtlMs })
        : null;
  }

  find(hmac: string): LookupFacts | undefined {
    const ref = this.hashes.get(hmac);
    if (!ref) return undefined;
    const token = this.tokens.get(ref.tokenId);
    return token ? { secretGeneration: ref.secretGeneration, token } : undefined;
  }

  /** Remembers a lookup; answers with the newest known state of the token (an event may have overtaken it). */
  remember(hmac: string, result: LookupFacts): LookupFacts {
    const token = this.putToken(result.token);
    this.hashes.set(hmac, { tokenId: token.id, secretGeneration: result.secretGeneration });
    return { secretGeneration: result.secretGeneration, token };
  }

  /** Stores a token state unless a newer one is known; returns the state that won. */
  putToken(view: TokenFacts): TokenFacts {
    const current = this.tokens.get(view.id);
    if (current && current.version >= view.version) return current;
    const facts = this.compact(view);
    this.tokens.set(facts.id, facts);
    return facts;
  }

  getToken(tokenId: string): TokenFacts | undefined {
    return this.tokens.get(tokenId);
  }

  isKnownMissing(hmac: string): boolean {
    return this.negatives?.get(hmac) === true;
  }

  currentNegativeEpoch(): number {
    return this.negativeEpoch;
  }

  /** Remembers a 404, unless a token appeared since the lookup started (epoch moved). */
  rememberMissing(hmac: string, epochAtStart: number): void {
    if (this.negatives && epochAtStart === this.negativeEpoch) this.negatives.set(hmac, true);
  }

  /** A token was issued or rotated: a remembered 404 may now be wrong. */
  forgetMissing(): void {
    this.negativeEpoch++;
    this.negatives?.clear();
  }

  get size(): { hashes: number; tokens: number; approximateBytes: number } {
    return { hashes: this.hashes.size, tokens: this.tokens.size, approximateBytes: this.hashes.calculatedSize + this.tokens.calculatedSize };
  }

  /** A new object with just the facts (never the caller's: a TokenView keeps name, hint and more alive). */
  private compact(view: TokenFacts): TokenFacts {
    return {
      id: view.id,
      ownerId: this.sharedOwner(view.ownerId),
      scopes: this.sharedScopes(view.scopes),
      allowedCidrs: view.allowedCidrs.length === 0 ? (NO_CIDRS as string[]) : view.allowedCidrs,
      status: STATUSES.find((s) => s === view.status) ?? view.status,
      createdAt: view.createdAt,
      expiresAt: view.expiresAt,
      secretGeneration: view.secretGeneration,
      previousSecretValidUntil: view.previousSecretValidUntil,
      version: view.version,
    };
  }

  private sharedOwner(ownerId: string): string {
    const known = this.owners.get(ownerId);
    if (known !== undefined) return known;
    if (this.owners.size >= MAX_POOLED_OWNERS) this.owners.clear();
    this.owners.set(ownerId, ownerId);
    return ownerId;
  }

  /** scope lists come from a closed set (read, write, admin), so there are only a handful of distinct lists */
  private sharedScopes(scopes: Scope[]): Scope[] {
    const key = scopes.join(',');
    const known = this.scopeLists.get(key);
    if (known !== undefined) return known;
    if (this.scopeLists.size >= 64) this.scopeLists.clear();
    const list = Object.freeze([...scopes]) as Scope[];
    this.scopeLists.set(key, list);
    return list;
  }
}
