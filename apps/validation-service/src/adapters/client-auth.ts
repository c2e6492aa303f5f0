import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** RFC 6749 §2.3.1: OAuth clients form-urlencode id and secret before Basic; undefined when not decodable */
function formDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Registered callers of the validation API (LATCHKEY_CLIENTS), authenticated with HTTP Basic
 * `clientId:clientSecret`. Secrets are compared as SHA-256 digests in constant time (no length leak).
 */
export class ClientAuthenticator {
  private readonly secrets = new Map<string, Buffer>();
  private readonly decoy = digest('decoy');
  /** headers already verified (the hot path sees the same few proxies' headers on every request) */
  private readonly verified = new Map<string, string>();

  constructor(clients: ReadonlyMap<string, string>) {
    for (const [id, secret] of clients) this.secrets.set(id, digest(secret));
  }

  /** the client id, or null when the header is missing, malformed or wrong */
  authenticate(header: string | undefined): string | null {
    if (!header || header.length > 1024) return null;
    const known = this.verified.get(header);
    if (known !== undefined) return known;
    const id = this.verify(header);
    if (id !== null) {
      if (this.verified.size >= 256) this.verified.clear();
      this.verified.set(header, id);
    }
    return id;
  }

  private verify(header: string): string | null {
    const match = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
    if (!match) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return null;
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const plain = this.check(id, secret);
    if (plain || !/[%+]/.test(decoded)) return plain;
    // an OAuth client library may have form-urlencoded both parts
    const formId = formDecode(id);
    const formSecret = formDecode(secret);
    return formId !== undefined && formSecret !== undefined ? this.check(formId, formSecret) : null;
  }

  /** RFC 6749 client_secret_post: id and secret as form parameters */
  authenticatePost(id: string | undefined, secret: string | undefined): string | null {
    if (!id || secret === undefined || id.length > 256 || secret.length > 512) return null;
    return this.check(id, secret);
  }

  private check(id: string, secret: string): string | null {
    const expected = this.secrets.get(id);
    const ok = timingSafeEqual(expected ?? this.decoy, digest(secret));
    return ok && expected ? id : null;
  }
}
