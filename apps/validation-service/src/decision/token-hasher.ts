import { createHash } from 'node:crypto';
import { hashToken } from '@latchkey/token-format';

/**
 * HMAC-SHA256 of a token under the pepper, exactly `hashToken(pepper, token)` (lowercase hex), for the hot path.
 * The pepper's inner and outer pad blocks are compressed once, so one HMAC of a token is two or three SHA-256
 * block compressions in plain JavaScript: no Hmac object, no OpenSSL context per request (measured: a createHmac
 * per request cost the validator several times its own CPU time under load). Strings with a character above
 * 0x7f (never a well-formed token) go to `hashToken`.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** One SHA-256 block: `w[0..15]` holds the block (big-endian words); `w` is scratch for the schedule. */
function compress(s: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = s[0];
  let b = s[1];
  let c = s[2];
  let d = s[3];
  let e = s[4];
  let f = s[5];
  let g = s[6];
  let h = s[7];
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0] + a) | 0;
  s[1] = (s[1] + b) | 0;
  s[2] = (s[2] + c) | 0;
  s[3] = (s[3] + d) | 0;
  s[4] = (s[4] + e) | 0;
  s[5] = (s[5] + f) | 0;
  s[6] = (s[6] + g) | 0;
  s[7] = (s[7] + h) | 0;
}

export type TokenHasher = (token: string) => string;

/** A hasher bound to one pepper (synchronous, not reentrant: scratch state is shared between calls). */
export function createTokenHasher(pepper: string): TokenHasher {
  let key = Buffer.from(pepper, 'utf8');
  if (key.length > 64) key = createHash('sha256').update(key).digest();
  const w = new Int32Array(64);
  const pads = [new Int32Array(IV), new Int32Array(IV)];
  [0x36, 0x5c].forEach((pad, n) => {
    for (let i = 0; i < 16; i++) {
      let v = 0;
      for (let j = 0; j < 4; j++) v = (v << 8) | (((key[i * 4 + j] ?? 0) ^ pad) & 0xff);
      w[i] = v;
    }
    compress(pads[n], w);
  });
  const [inner, outer] = pads;
  const s = new Int32Array(8);
  const digest = Buffer.alloc(32);

  return (token: string): string => {
    const n = token.length;
    s.set(inner);
    // after the pad block: the token's bytes, 0x80, zeros, and the bit length of pad block + token
    const blocks = (n + 9 + 63) >>> 6;
    let p = 0;
    for (let block = 0; block < blocks; block++) {
      for (let i = 0; i < 16; i++) {
        let v = 0;
        for (let j = 0; j < 4; j++, p++) {
          let byte = 0;
          if (p < n) {
            byte = token.charCodeAt(p);
            if (byte > 0x7f) return hashToken(pepper, token);
          } else if (p === n) byte = 0x80;
          v = (v << 8) | byte;
        }
        w[i] = v;
      }
      if (block === blocks - 1) {
        w[14] = 0;
        w[15] = (64 + n) * 8;
      }
      compress(s, w);
    }
    for (let i = 0; i < 8; i++) w[i] = s[i];
    w[8] = 0x80000000 | 0;
    for (let i = 9; i < 15; i++) w[i] = 0;
    w[15] = (64 + 32) * 8;
    s.set(outer);
    compress(s, w);
    // one flat string made natively: a hex built with += is a tree of ~15 string pieces per HMAC, and the caches
    // keep 100k of them as keys (measured: 40 MB of a replica's heap at 100k cached tokens, vs 8 MB flat)
    for (let i = 0; i < 8; i++) digest.writeInt32BE(s[i], i * 4);
    return digest.toString('hex');
  };
}
