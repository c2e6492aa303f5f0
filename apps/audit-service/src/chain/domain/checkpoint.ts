import { createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { sha256Hex } from './hash-chain';

/** A signed statement "the chain had this hash at this position at this time": a truncated tail cannot hide. */
export interface Checkpoint {
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  /** base64 Ed25519 signature over checkpointStatement(seq, hash, signedAt, keyId) */
  signature: string;
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** first 16 hex characters of SHA-256 over the DER public key */
  keyId: string;
}

/** Reads a PKCS8 Ed25519 private key given as PEM, or as base64 of the PEM or of the DER. */
export function parseSigningKey(text: string): SigningKey {
  const trimmed = text.trim();
  let privateKey: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) privateKey = createPrivateKey(trimmed);
  else {
    const raw = Buffer.from(trimmed, 'base64');
    const asText = raw.toString('utf8');
    privateKey = asText.startsWith('-----BEGIN')
      ? createPrivateKey(asText)
      : createPrivateKey({ key: raw, format: 'der', type: 'pkcs8' });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the audit signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export function keyIdOf(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ format: 'der', type: 'spki' }).toString('base64')).slice(0, 16);
}

export function checkpointStatement(c: Omit<Checkpoint, 'signature'>): string {
  return canonicalJson({ purpose: 'latchkey-audit-checkpoint', v: 1, seq: c.seq, hash: c.hash, signedAt: c.signedAt, keyId: c.keyId });
}

export function signCheckpoint(head: { seq: number; hash: string }, signedAt: Date, key: SigningKey): Checkpoint {
  const unsigned = { seq: head.seq, hash: head.hash, signedAt: signedAt.toISOString(), keyId: key.keyId };
  const signature = sign(null, Buffer.from(checkpointStatement(unsigned), 'utf8'), key.privateKey).toString('base64');
  return { ...unsigned, signature };
}

export function checkpointSignatureValid(c: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(checkpointStatement(c), 'utf8'), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}
