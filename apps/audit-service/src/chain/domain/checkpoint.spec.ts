import { generateKeyPairSync } from 'node:crypto';
import { checkpointSignatureValid, parseSigningKey, signCheckpoint } from './checkpoint';

const pem = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('signed checkpoints', () => {
  it('signs a chain head that the public key verifies', () => {
    const key = parseSigningKey(pem());
    const c = signCheckpoint({ seq: 42, hash: 'ab'.repeat(32) }, new Date('2025-01-01T00:00:00Z'), key);
    expect(c).toMatchObject({ seq: 42, signedAt: '2025-01-01T00:00:00.000Z', keyId: key.keyId });
    expect(checkpointSignatureValid(c, key.publicKey)).toBe(true);
  });

  it('rejects a checkpoint whose position or hash was changed, or signed by another key', () => {
    const key = parseSigningKey(pem());
    const c = signCheckpoint({ seq: 42, hash: 'ab'.repeat(32) }, new Date(), key);
    expect(checkpointSignatureValid({ ...c, seq: 41 }, key.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...c, hash: 'cd'.repeat(32) }, key.publicKey)).toBe(false);
    expect(checkpointSignatureValid(c, parseSigningKey(pem()).publicKey)).toBe(false);
  });

  it('reads the key as PEM, as base64 of the PEM, and as base64 DER', () => {
    const text = pem();
    const der = parseSigningKey(text).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const ids = [text, Buffer.from(text).toString('base64'), der].map((t) => parseSigningKey(t).keyId);
    expect(new Set(ids).size).toBe(1);
  });

  it('refuses a key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parseSigningKey(rsa)).toThrow(/Ed25519/);
  });
});
