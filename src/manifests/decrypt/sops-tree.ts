import { createHash, type Hash } from 'node:crypto';
import { openValue } from './aes-gcm.js';
import { parseEncValue } from './enc-value.js';
import { shouldBeEncrypted } from './encryption-rule.js';
import { SopsError } from './sops-error.js';
import type { SopsMetadata } from './sops-metadata.js';
import { fromPlaintext, macBytes, type SopsValue } from './sops-value.js';

/** sha256("sops"): what the MAC starts with when `mac_only_encrypted` is set. */
const MAC_ONLY_ENCRYPTED_INIT = createHash('sha256').update('sops').digest();

/** A place in the file. */
export interface At {
  line: number;
  column: number;
}

/**
 * The MAC and the leaves of one sops tree, walked in tree order across every document by a
 * store (YAML/JSON, dotenv): each leaf is decrypted when the file's rule says so (its key
 * path as additional data) and hashed, as sops's `Tree.Decrypt` does.
 */
export class SopsTreeDecrypter {
  private readonly hash: Hash = createHash('sha512');
  /** Counts of leaves decrypted and left plain (nulls are neither). */
  readonly leaves = { encrypted: 0, plain: 0 };

  constructor(
    private readonly metadata: SopsMetadata,
    private readonly key: Buffer,
  ) {
    if (metadata.macOnlyEncrypted) this.hash.update(MAC_ONLY_ENCRYPTED_INIT);
  }

  /** True when the leaf or comment at `path` is encrypted. */
  encrypted(path: readonly string[]): boolean {
    return shouldBeEncrypted(this.metadata.rule, path);
  }

  /**
   * One leaf, typed (`value`) as the store reads it: decrypted if the rule says so, and
   * hashed. Returns the plaintext value, or the value as it was when plain.
   */
  leaf(path: readonly string[], value: SopsValue, at: At): SopsValue {
    const where = path.join('.') || '(root)';
    if (!this.encrypted(path)) {
      this.leaves.plain++;
      if (!this.metadata.macOnlyEncrypted) this.hash.update(macBytes(value));
      return value;
    }
    this.leaves.encrypted++;
    if (value.type !== 'str')
      throw new SopsError(
        'value',
        `the value at ${where} should be encrypted (by the file's rule) but is a plain ${value.type}`,
        at,
      );
    let plaintext: SopsValue = value;
    if (value.value !== '') {
      const enc = parseEncValue(value.value);
      if (typeof enc === 'string')
        throw new SopsError(
          'value',
          `the value at ${where} should be encrypted (by the file's rule) but is not: ${enc}`,
          at,
        );
      const opened = openValue(enc, this.key, `${path.join(':')}:`);
      if (!opened)
        throw new SopsError(
          'value',
          `cannot decrypt the value at ${where}: AES-GCM authentication failed (the value was changed, moved or renamed after encryption)`,
          at,
        );
      const typed = fromPlaintext(enc.type, opened);
      if (typeof typed === 'string')
        throw new SopsError('value', `the value at ${where}: ${typed}`, at);
      plaintext = typed;
    }
    this.hash.update(macBytes(plaintext));
    return plaintext;
  }

  /**
   * Decrypts an encrypted comment (`#ENC[…,type:comment]`, without the `#`), trying the
   * collection paths that may hold it from the innermost outwards (which collection go-yaml
   * gives a comment to is parser-specific; a wrong path fails authentication). Comments are
   * not part of the MAC; one that fails stays as it is, as in sops.
   */
  comment(
    text: string,
    candidates: readonly (readonly string[])[],
  ): { aad: string; plaintext: string } | null {
    const enc = parseEncValue(text);
    if (typeof enc === 'string' || enc.type !== 'comment') return null;
    for (const path of candidates) {
      if (!this.encrypted(path)) continue;
      const aad = `${path.join(':')}:`;
      const opened = openValue(enc, this.key, aad);
      if (opened) return { aad, plaintext: opened.toString('utf8') };
    }
    return null;
  }

  /** The MAC over the leaves seen, as sops writes it: SHA-512, upper-case hex. */
  computedMac(): string {
    return this.hash.copy().digest('hex').toUpperCase();
  }

  /**
   * Checks the file's MAC against the leaves seen: decrypted with `lastmodified` as
   * additional data and compared exactly. Always done: Berth has no `--ignore-mac`.
   */
  verifyMac(where: () => At): string {
    const computed = this.computedMac();
    if (this.metadata.mac === '')
      throw withComputed(
        computed,
        new SopsError(
          'no-mac',
          'the file has no MAC (sops.mac): Berth only applies SOPS files whose MAC verifies',
          where(),
        ),
      );
    const enc = parseEncValue(this.metadata.mac);
    const opened =
      typeof enc === 'string' ? null : openValue(enc, this.key, this.metadata.lastModified);
    if (!opened)
      throw new SopsError(
        'mac-undecryptable',
        'cannot decrypt the MAC: sops.mac or sops.lastmodified was changed after encryption',
        where(),
      );
    if (opened.toString('utf8') !== computed)
      throw withComputed(
        computed,
        new SopsError(
          'mac-mismatch',
          'MAC mismatch: the values or their order differ from what was encrypted (the file was changed without sops)',
          where(),
        ),
      );
    return computed;
  }
}

/**
 * Keeps the computed MAC on a MAC error for tests and debugging, outside `message` and
 * `data` (which reach logs): it is a digest of the plaintext.
 */
function withComputed(computed: string, err: SopsError): SopsError {
  Object.defineProperty(err, 'computedMac', { value: computed, enumerable: false });
  return err;
}
