import { LRUCache } from 'lru-cache';
import type { TokenLookupResult, TokenView } from '@latchkey/contracts';
import type { HashRef } from './token-read-model.port';

export interface MemoryTokenCacheOptions {
  maxEntries: number;
  ttlMs: number;
  negativeTtlMs: number;
}

/**
 * The in-process layer: HMAC -> token id + generation, token id -> latest TokenView, and recent "no such token"
 * answers. Token states only ever move forward (by version), so a slow lookup cannot undo an applied event.
 */
export class MemoryTokenCache {
  private readonly hashes: LRUCache<string, HashRef>;
  private readonly tokens: LRUCache<string, TokenView>;
  private readonly negatives: LRUCache<string, true> | null;
  /** bumped whenever a token may have appeared, so a 404 fetched before that is not remembered */
  private negativeEpoch = 0;

  constructor(options: MemoryTokenCacheOptions) {
    this.hashes = new LRUCache<string, HashRef>({ max: options.maxEntries, ttl: options.ttlMs });
    this.tokens = new LRUCache<string, TokenView>({ max: options.maxEntries, ttl: options.ttlMs });
    this.negatives =
      options.negativeTtlMs > 0
        ? new LRUCache<string, true>({ max: Math.min(options.maxEntries, 10_000), ttl: options.negativeTtlMs })
        : null;
  }

  find(hmac: string): TokenLookupResult | undefined {
    const ref = this.hashes.get(hmac);
    if (!ref) return undefined;
    const token = this.tokens.get(ref.tokenId);
    return token ? { secretGeneration: ref.secretGeneration, token } : undefined;
  }

  /** Remembers a lookup; answers with the newest known state of the token (an event may have overtaken it). */
  remember(hmac: string, result: TokenLookupResult): TokenLookupResult {
    this.hashes.set(hmac, { tokenId: result.token.id, secretGeneration: result.secretGeneration });
    return { secretGeneration: result.secretGeneration, token: this.putToken(result.token) };
  }

  /** Stores a token state unless a newer one is known; returns the state that won. */
  putToken(view: TokenView): TokenView {
    const current = this.tokens.get(view.id);
    if (current && current.version >= view.version) return current;
    this.tokens.set(view.id, view);
    return view;
  }

  getToken(tokenId: string): TokenView | undefined {
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

  get size(): { hashes: number; tokens: number } {
    return { hashes: this.hashes.size, tokens: this.tokens.size };
  }
}
