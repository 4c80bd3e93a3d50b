import { createHash } from 'node:crypto';
import { armor, Decrypter, identityToRecipient } from 'age-encryption';
import { BerthError } from '../../util/berth-error.js';

/** Where age identities were read from, with their text (never logged). */
export interface IdentitySource {
  /** Named in errors: an environment variable or a file path, never the key. */
  location: string;
  text: string;
  /** `SOPS_AGE_KEY` allows several keys per line (split on white space); files one per line. */
  wordsPerLine?: boolean;
}

/** Data keys unwrapped per identity set, kept for warm revisions (bounded). */
const cache = new Map<string, Buffer>();
const CACHE_LIMIT = 4096;

/**
 * The age identities of one source (or of the CLI), able to unwrap sops data keys. Identities
 * are parsed as sops parses a keys file (`#` lines and empty lines skipped) and checked when
 * the keyring is made: an error names the location and line, never the key. Unwrapped data
 * keys are cached per identity set, so a key is unwrapped once while its file does not change.
 */
export class AgeKeyring {
  private readonly cachePrefix: string;

  private constructor(
    private readonly identities: readonly string[],
    /** Public recipients of the identities, safe to show. */
    readonly recipients: readonly string[],
  ) {
    const h = createHash('sha256');
    for (const id of [...identities].sort()) h.update(id).update('\n');
    this.cachePrefix = h.digest('hex');
  }

  /** A keyring with no identity: every SOPS file fails with "no age identity configured". */
  static readonly empty = new AgeKeyring([], []);

  /** Parses and checks identities from their sources. */
  static async create(sources: readonly IdentitySource[]): Promise<AgeKeyring> {
    const identities: string[] = [];
    const recipients: string[] = [];
    for (const source of sources) {
      for (const [i, rawLine] of source.text.split('\n').entries()) {
        const line = rawLine.trim();
        if (line === '' || line.startsWith('#')) continue;
        for (const word of source.wordsPerLine ? line.split(/\s+/) : [line]) {
          const where = `${source.location} line ${i + 1}`;
          if (!/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(word))
            throw new BerthError(
              'SOPS_AGE_IDENTITY',
              `${where}: not an age identity (AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…; plugins and SSH keys are not supported)`,
              { location: source.location, line: i + 1 },
            );
          try {
            recipients.push(await identityToRecipient(word));
          } catch {
            throw new BerthError('SOPS_AGE_IDENTITY', `${where}: malformed age identity`, {
              location: source.location,
              line: i + 1,
            });
          }
          identities.push(word);
        }
      }
    }
    return new AgeKeyring(identities, recipients);
  }

  /** Number of identities. */
  get size(): number {
    return this.identities.length;
  }

  /**
   * Unwraps the data key from the first of `wrapped` (ASCII-armored age files, as in
   * `sops.age[].enc`) that one of the identities opens; sops tries every identity on every
   * entry. Returns the reasons when none does.
   */
  async dataKey(wrapped: readonly string[]): Promise<{ key: Buffer } | { reasons: string[] }> {
    const reasons: string[] = [];
    for (const enc of wrapped) {
      const id = `${this.cachePrefix}:${enc}`;
      const hit = cache.get(id);
      if (hit) return { key: hit };
      if (this.identities.length === 0) continue;
      let key: Uint8Array;
      try {
        const decrypter = new Decrypter();
        for (const identity of this.identities) decrypter.addIdentity(identity);
        key = await decrypter.decrypt(armor.decode(enc.replace(/\r\n/g, '\n').trim()));
      } catch (err) {
        reasons.push((err as Error).message.split('\n')[0]?.slice(0, 200) ?? 'age error');
        continue;
      }
      if (key.length !== 32) {
        reasons.push(`the data key is ${key.length} bytes, not 32`);
        continue;
      }
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      const buffer = Buffer.from(key);
      cache.set(id, buffer);
      return { key: buffer };
    }
    return { reasons };
  }
}
