import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Registered callers of the validation API (LATCHKEY_CLIENTS), authenticated with HTTP Basic
 * `clientId:clientSecret`. Secrets are compared as SHA-256 digests in constant time (no length leak).
 */
export class ClientAuthenticator {
  private readonly secrets = new Map<string, Buffer>();
  private readonly decoy = digest('decoy');

  constructor(clients: ReadonlyMap<string, string>) {
    for (const [id, secret] of clients) this.secrets.set(id, digest(secret));
  }

  /** the client id, or null when the header is missing, malformed or wrong */
  authenticate(header: string | undefined): string | null {
    if (!header) return null;
    const match = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
    if (!match) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return null;
    const id = decoded.slice(0, colon);
    const expected = this.secrets.get(id);
    const ok = timingSafeEqual(expected ?? this.decoy, digest(decoded.slice(colon + 1)));
    return ok && expected ? id : null;
  }
}
