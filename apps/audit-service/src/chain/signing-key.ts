import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { AuditServiceConfig } from '../config/audit-service.config';
import { parseSigningKey, SigningKey } from './domain/checkpoint';

/**
 * The checkpoint key: LATCHKEY_AUDIT_SIGNING_KEY (required in production), or in development a key generated once
 * and kept in LATCHKEY_AUDIT_SIGNING_KEY_FILE (mode 0600) so checkpoints stay verifiable across restarts.
 */
export function loadSigningKey(config: AuditServiceConfig): SigningKey {
  if (config.LATCHKEY_AUDIT_SIGNING_KEY) return parseSigningKey(config.LATCHKEY_AUDIT_SIGNING_KEY);
  const file = path.resolve(config.LATCHKEY_AUDIT_SIGNING_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      new Logger('SigningKey').warn(`generated a development checkpoint key in ${file}; set LATCHKEY_AUDIT_SIGNING_KEY in production`);
    } catch (err) {
      // another replica wrote it first: use theirs
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
  }
  return parseSigningKey(readFileSync(file, 'utf8'));
}

export const SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');
