import { createDecipheriv } from 'node:crypto';
import type { EncValue } from './enc-value.js';

/**
 * Opens a sops value: AES-256-GCM with the file's 32-byte data key, the value's IV (32 bytes
 * as sops writes it; any non-empty length is accepted, as Go's `NewGCMWithNonceSize` does)
 * and its 16-byte tag, the additional data being the leaf's key path (`a:b:`) or, for the
 * MAC, `lastmodified`. Returns null when authentication fails.
 */
export function openValue(value: EncValue, key: Uint8Array, aad: string): Buffer | null {
  if (value.iv.length === 0 || value.tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, value.iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(value.tag);
    return Buffer.concat([decipher.update(value.data), decipher.final()]);
  } catch {
    return null;
  }
}
