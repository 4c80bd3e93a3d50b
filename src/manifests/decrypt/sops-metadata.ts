import { type EncryptionRule, goRegExp, RULE_FIELDS } from './encryption-rule.js';
import { parseGoBool } from './go-number.js';
import { formatRfc3339, parseRfc3339 } from './go-time.js';
import { SopsError } from './sops-error.js';

/** A place in the file, for errors about a metadata field. */
export type FieldPosition = (field: string) => { line: number; column: number };

/** The parts of a file's `sops` metadata that decryption uses. */
export interface SopsMetadata {
  /** The age-wrapped data keys (`sops.age[].enc`, ASCII-armored), in file order. */
  ageKeys: string[];
  /** Other key services the file lists (`pgp`, `kms`, …), for the error when no age entry fits. */
  otherKeyServices: string[];
  /** `lastmodified` re-formatted as Go's `time.RFC3339`: the MAC's additional data. */
  lastModified: string;
  /** The encrypted MAC, `''` when the file has none. */
  mac: string;
  rule: EncryptionRule;
  macOnlyEncrypted: boolean;
}

/** Each age entry costs an unwrap attempt per identity: a file cannot ask for more. */
const MAX_AGE_ENTRIES = 64;

const OTHER_SERVICES = ['pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'hckms'];

/**
 * Reads the `sops` metadata map (already plain data: YAML, JSON or unflattened dotenv) as
 * sops's `ExtractMetadata` and `ToInternal` do, with the same refusals (two encryption rules,
 * an unparsable `lastmodified`), plus Berth's: key groups (Shamir secret sharing) and the
 * comment-regex rules are not supported.
 */
export function readMetadata(raw: unknown, at: FieldPosition): SopsMetadata {
  if (!isRecord(raw)) throw new SopsError('metadata', 'the sops metadata is not a mapping', at(''));
  const str = (field: string): string => {
    const v = raw[field];
    if (v === undefined || v === null) return '';
    if (typeof v === 'object')
      throw new SopsError('metadata', `sops.${field} must be a string`, at(field));
    return String(v);
  };
  const lastRaw = str('lastmodified');
  const last = parseRfc3339(lastRaw);
  if (!last)
    throw new SopsError(
      'metadata',
      'sops.lastmodified is missing or not an RFC 3339 time',
      at('lastmodified'),
    );
  if (Array.isArray(raw.key_groups) && raw.key_groups.length > 0)
    throw new SopsError(
      'unsupported',
      'sops.key_groups (Shamir secret sharing of the data key) is not supported by Berth: encrypt the file for age recipients in one group',
      at('key_groups'),
    );
  const rules = RULE_FIELDS.filter((f) => str(f) !== '');
  if (rules.length > 1)
    throw new SopsError(
      'metadata',
      `the sops metadata sets ${rules.join(' and ')}: sops allows only one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, unencrypted_comment_regex`,
      at(rules[1] as string),
    );
  const ruleField = rules[0] ?? 'unencrypted_suffix';
  const ruleValue = rules[0] ? str(rules[0]) : '_unencrypted';
  let rule: EncryptionRule;
  switch (ruleField) {
    case 'unencrypted_suffix':
    case 'encrypted_suffix':
      rule = { kind: ruleField, suffix: ruleValue };
      break;
    case 'unencrypted_regex':
    case 'encrypted_regex': {
      const regex = goRegExp(ruleValue);
      if (typeof regex === 'string')
        throw new SopsError('unsupported', `sops.${ruleField}: ${regex}`, at(ruleField));
      rule = { kind: ruleField, regex };
      break;
    }
    default:
      throw new SopsError(
        'unsupported',
        `sops.${ruleField} is not supported by Berth (which leaves it applies to depends on go-yaml's comment placement)`,
        at(ruleField),
      );
  }
  const macOnly = raw.mac_only_encrypted;
  let macOnlyEncrypted = false;
  if (typeof macOnly === 'boolean') macOnlyEncrypted = macOnly;
  else if (typeof macOnly === 'string' && macOnly !== '') {
    const b = parseGoBool(macOnly);
    if (b === null)
      throw new SopsError(
        'metadata',
        'sops.mac_only_encrypted must be true or false',
        at('mac_only_encrypted'),
      );
    macOnlyEncrypted = b;
  }
  const ageKeys: string[] = [];
  const age = raw.age ?? [];
  if (!Array.isArray(age)) throw new SopsError('metadata', 'sops.age must be a list', at('age'));
  if (age.length > MAX_AGE_ENTRIES)
    throw new SopsError(
      'limit',
      `sops.age lists ${age.length} recipients: at most ${MAX_AGE_ENTRIES} are tried`,
      at('age'),
    );
  for (const entry of age) {
    if (!isRecord(entry) || typeof entry.enc !== 'string' || entry.enc === '')
      throw new SopsError('metadata', 'an entry of sops.age has no enc', at('age'));
    ageKeys.push(entry.enc);
  }
  const otherKeyServices = OTHER_SERVICES.filter(
    (s) => Array.isArray(raw[s]) && (raw[s] as unknown[]).length > 0,
  );
  return {
    ageKeys,
    otherKeyServices,
    lastModified: formatRfc3339(last),
    mac: str('mac'),
    rule,
    macOnlyEncrypted,
  };
}

/** True for a plain object (a mapping). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}
