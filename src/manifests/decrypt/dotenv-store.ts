import type { OpenedSopsFile, TypedTree } from './opened-file.js';
import { SopsError } from './sops-error.js';
import { readMetadata } from './sops-metadata.js';
import { SopsTreeDecrypter } from './sops-tree.js';
import { textOf } from './sops-value.js';

const PREFIX = 'sops_';

/**
 * Parses a dotenv SOPS file as sops's dotenv store does: `KEY=value` lines (`\n` in a value
 * is a line break), `#` lines are comments, and the metadata is flattened into `sops_*` keys
 * (`sops_age__list_0__map_enc`). Returns null when there is no `sops_mac` or `sops_version`.
 * The decrypted file keeps one line per input line (metadata lines become empty), values
 * written back with line breaks as `\n`, as sops emits them.
 */
export function openDotenvFile(text: string): OpenedSopsFile | null {
  const lines = text.split('\n');
  const entries: Array<
    { line: number; key: string; value: string } | { line: number; comment: string }
  > = [];
  const flat: Record<string, string> = {};
  const flatAt: Record<string, number> = {};
  for (const [i, raw] of lines.entries()) {
    if (raw === '') continue;
    if (raw.startsWith('#')) {
      entries.push({ line: i, comment: raw.slice(1) });
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq === -1)
      throw new SopsError('format', 'invalid dotenv line: no "="', { line: i + 1, column: 1 });
    const key = raw.slice(0, eq);
    const value = raw.slice(eq + 1).replaceAll('\\n', '\n');
    if (key.startsWith(PREFIX)) {
      flat[key.slice(PREFIX.length)] = value;
      flatAt[key.slice(PREFIX.length)] = i + 1;
    } else entries.push({ line: i, key, value });
  }
  if (flat.mac === undefined && flat.version === undefined) return null;
  const metadataLine = Math.min(...Object.values(flatAt));
  const fieldAt = (field: string) => ({ line: flatAt[field] ?? metadataLine, column: 1 });
  const metadata = readMetadata(unflatten(flat), (field) => {
    const first = Object.keys(flatAt).find((k) => k === field || k.startsWith(`${field}__`));
    return fieldAt(first ?? field);
  });
  return {
    metadata,
    metadataAt: { line: metadataLine, column: 1 },
    decrypt(key) {
      const tree = new SopsTreeDecrypter(metadata, key);
      const out = lines.map((l) => (l.startsWith(PREFIX) ? '' : l));
      const document: Record<string, TypedTree> = {};
      const comments: Array<{ aad: string; plaintext: string }> = [];
      for (const entry of entries) {
        if ('comment' in entry) {
          if (!entry.comment.startsWith('ENC[')) continue;
          const opened = tree.comment(entry.comment, [[]]);
          if (opened) {
            comments.push(opened);
            out[entry.line] = `#${opened.plaintext.replace(/[\r\n]/g, ' ')}`;
          }
          continue;
        }
        const at = { line: entry.line + 1, column: entry.key.length + 2 };
        const value = tree.leaf([entry.key], { type: 'str', value: entry.value }, at);
        document[entry.key] = value;
        out[entry.line] = `${entry.key}=${textOf(value).replaceAll('\n', '\\n')}`;
      }
      const mac = tree.verifyMac(() => fieldAt('mac'));
      return {
        content: Buffer.from(out.join('\n'), 'utf8'),
        mac,
        leaves: { ...tree.leaves },
        comments,
        documents: [document],
      };
    },
  };
}

/**
 * Undoes sops's metadata flattening (`stores/flatten.go`): `age__list_0__map_enc` →
 * `{age: [{enc}]}`. Only what the metadata uses: maps and lists of maps or scalars.
 */
function unflatten(flat: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const tokens = key.split(/(__map_|__list_)/);
    let node: Record<string, unknown> | unknown[] = root;
    let name: string | number = tokens[0] as string;
    for (let i = 1; i < tokens.length; i += 2) {
      const isList = tokens[i] === '__list_';
      const nextName: string | number = isList ? Number(tokens[i + 1]) : (tokens[i + 1] as string);
      const holder = node as Record<string | number, unknown>;
      if (holder[name] === undefined) holder[name] = isList ? [] : {};
      node = holder[name] as Record<string, unknown> | unknown[];
      name = nextName;
    }
    (node as Record<string | number, unknown>)[name] = value;
  }
  return root;
}
