import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The field a sealed Secret carries instead of `data` and `stringData`. */
export const SEALED_FIELD = 'berth.dev/sealed';
/** Prefix of a sealed value: the format (AES-256-GCM, version 1). */
const FORMAT = 'aesgcm:v1:';
/** Name of the key file Berth generates in the state directory. */
export const KEY_FILE = 'secrets-encryption.key';

/**
 * Seals Secret data for storage in Redis, as Kubernetes' EncryptionConfiguration does for etcd:
 * `data` and `stringData` of a Secret become one AES-256-GCM ciphertext (random 96-bit IV,
 * authenticated) under {@link SEALED_FIELD}; every other kind passes unchanged. Applied where
 * Secret objects are serialized (object store, inventory, revision objects) and undone where
 * they are parsed, so the rest of Berth sees plain objects.
 */
export class SecretCodec {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('the secrets encryption key must be 32 bytes');
  }

  /** `value` ready to serialize: a Secret's data sealed; anything else as it is. */
  seal<T>(value: T): T {
    const v = value as Record<string, unknown>;
    if (v?.kind !== 'Secret' || (v.data === undefined && v.stringData === undefined)) return value;
    const { data, stringData, ...rest } = v;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([
      cipher.update(JSON.stringify({ data, stringData }), 'utf8'),
      cipher.final(),
    ]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    return { ...rest, [SEALED_FIELD]: `${FORMAT}${sealed}` } as T;
  }

  /** A parsed value with its Secret data opened; throws when the key does not open it. */
  open<T>(value: T): T {
    const v = value as Record<string, unknown>;
    const sealed = v?.[SEALED_FIELD];
    if (typeof sealed !== 'string' || !sealed.startsWith(FORMAT)) return value;
    const raw = Buffer.from(sealed.slice(FORMAT.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    let text: string;
    try {
      text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        `cannot decrypt Secret ${String((v.metadata as { name?: string })?.name ?? '')}: secrets.encryptionKey is not the key it was stored with`,
      );
    }
    const { [SEALED_FIELD]: _, ...rest } = v;
    const { data, stringData } = JSON.parse(text) as Record<string, unknown>;
    return {
      ...rest,
      ...(data !== undefined ? { data } : {}),
      ...(stringData !== undefined ? { stringData } : {}),
    } as T;
  }
}

let active: SecretCodec | undefined;

/**
 * The codec of this process. Set once at start ({@link useSecretCodec}) by every command that
 * reads or writes Berth's state; without one (unit tests), values are stored as they are.
 */
export function secretCodec(): SecretCodec | undefined {
  return active;
}

/** Makes `codec` the one every store of this process seals and opens Secrets with. */
export function useSecretCodec(codec: SecretCodec | undefined): void {
  active = codec;
}

/** Seals a value with the process' codec, if any. */
export function sealSecret<T>(value: T): T {
  return active ? active.seal(value) : value;
}

/** Opens a value with the process' codec, if any. */
export function openSecret<T>(value: T): T {
  return active ? active.open(value) : value;
}

/**
 * The encryption key: `configured` (base64 of 32 bytes, from `secrets.encryptionKey`), else
 * the key file in `stateDir`, generated at first use with mode 0600.
 */
export function loadEncryptionKey(configured: string | undefined, stateDir: string): Buffer {
  if (configured !== undefined) {
    const key = Buffer.from(configured.trim(), 'base64');
    if (key.length !== 32)
      throw new RangeError(
        'secrets.encryptionKey must be 32 bytes in base64 (e.g. `head -c 32 /dev/urandom | base64`)',
      );
    return key;
  }
  const file = path.join(stateDir, KEY_FILE);
  try {
    return loadEncryptionKey(readFileSync(file, 'utf8'), stateDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(stateDir, { recursive: true });
  const key = randomBytes(32);
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      return loadEncryptionKey(readFileSync(file, 'utf8'), stateDir);
    throw err;
  }
  chmodSync(file, 0o600);
  return key;
}
