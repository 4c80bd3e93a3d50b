import { MAX_YAML_DEPTH, nestingDepthExcess } from '../nesting-depth.js';
import type { AgeKeyring } from './age-keyring.js';
import { openDotenvFile } from './dotenv-store.js';
import type { DecryptedTree, OpenedSopsFile } from './opened-file.js';
import { SopsError } from './sops-error.js';
import { formatOf, mayBeSops, type SopsFormat } from './sops-format.js';
import { openYamlFile } from './yaml-store.js';

/** A decrypted, verified SOPS file. */
export interface DecryptedFile extends DecryptedTree {
  format: SopsFormat;
}

/**
 * Decrypts one file if it is SOPS-encrypted: text in, decrypted text (or bytes, for the
 * binary store) out, the MAC always verified. The store is chosen by the file name as sops
 * chooses it; a YAML or JSON file is SOPS-encrypted when its first document has a top-level
 * `sops` mapping with `mac` or `version`. Returns null for any other file. Throws
 * {@link SopsError} (positioned in the file) when the file cannot be decrypted or verified.
 * This is the file-level hook: the revision loader and Kustomize's file reader call it alike.
 */
export async function decryptSopsFile(
  path: string,
  content: Uint8Array,
  keyring: AgeKeyring,
): Promise<DecryptedFile | null> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return null;
  }
  const format = formatOf(path);
  if (!mayBeSops(format, text)) return null;
  // Never parse a file nested too deep: the revision loader refuses it, positioned, unparsed.
  if (format !== 'dotenv' && nestingDepthExcess(text, MAX_YAML_DEPTH)) return null;
  let opened: OpenedSopsFile | null;
  try {
    opened = format === 'dotenv' ? openDotenvFile(text) : openYamlFile(text);
  } catch (err) {
    // Not parsable as its store: a SOPS file only if it looked like one.
    if (err instanceof SopsError && format !== 'binary') throw err;
    return null;
  }
  if (!opened) return null;
  const { metadata, metadataAt } = opened;
  if (metadata.ageKeys.length === 0) {
    const others = metadata.otherKeyServices.join(', ') || 'no key service';
    throw new SopsError(
      'no-key',
      `the data key is not wrapped for any age recipient (the file lists ${others}): Berth decrypts SOPS files with age identities only`,
      metadataAt,
    );
  }
  if (keyring.size === 0)
    throw new SopsError(
      'no-key',
      'no age identity is configured to decrypt this file: set sources[].decryption.ageKeys in berth.yaml (or SOPS_AGE_KEY_FILE / SOPS_AGE_KEY)',
      metadataAt,
    );
  const unwrapped = await keyring.dataKey(metadata.ageKeys);
  if ('reasons' in unwrapped)
    throw new SopsError(
      'no-key',
      `none of the ${keyring.size} configured age identities opens the data key of this file (${unwrapped.reasons[0] ?? 'no match'})`,
      metadataAt,
    );
  const tree = opened.decrypt(unwrapped.key);
  if (format !== 'binary') return { format, ...tree };
  const doc = tree.documents[0];
  const data =
    doc && typeof doc === 'object' && !Array.isArray(doc)
      ? (doc as Record<string, unknown>).data
      : undefined;
  if (
    !data ||
    typeof data !== 'object' ||
    !('type' in data) ||
    (data as { type: string }).type !== 'str'
  )
    throw new SopsError('format', "a binary SOPS file needs a string 'data' value", metadataAt);
  const value = data as unknown as { value: string; raw?: Buffer };
  return { format, ...tree, content: value.raw ?? Buffer.from(value.value, 'utf8') };
}
