import type { TokenLookupResult, TokenView } from '@latchkey/contracts';
import type { HashRef, TokenReadModel } from './token-read-model.port';

/** In-process driver of TokenReadModel, for unit tests; `failing` simulates Redis being down. */
export class InMemoryTokenReadModel implements TokenReadModel {
  readonly hashes = new Map<string, HashRef>();
  readonly tokens = new Map<string, TokenView>();
  failing = false;
  calls = 0;

  private touch(): void {
    this.calls++;
    if (this.failing) throw new Error('read model unavailable');
  }

  async findByHash(hmac: string): Promise<HashRef | null> {
    this.touch();
    return this.hashes.get(hmac) ?? null;
  }

  async findToken(tokenId: string): Promise<TokenView | null> {
    this.touch();
    return this.tokens.get(tokenId) ?? null;
  }

  async findLookup(hmac: string): Promise<TokenLookupResult | null> {
    this.touch();
    const ref = this.hashes.get(hmac);
    const token = ref ? this.tokens.get(ref.tokenId) : undefined;
    return ref && token ? { secretGeneration: ref.secretGeneration, token } : null;
  }

  async saveLookup(hmac: string, result: TokenLookupResult): Promise<void> {
    this.touch();
    this.hashes.set(hmac, { tokenId: result.token.id, secretGeneration: result.secretGeneration });
    await this.saveToken(result.token);
  }

  async saveToken(view: TokenView): Promise<boolean> {
    this.touch();
    const current = this.tokens.get(view.id);
    if (current && current.version >= view.version) return false;
    this.tokens.set(view.id, view);
    return true;
  }

  async ping(): Promise<void> {
    this.touch();
  }
}
