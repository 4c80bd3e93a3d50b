import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { armor, Encrypter } from 'age-encryption';
import { isMap, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml';
import { resolveScalar } from '../../src/manifests/decrypt/go-yaml-scalar.js';
import { macBytes, type SopsValue } from '../../src/manifests/decrypt/sops-value.js';

// A test-only SOPS encrypter, written from sops's `Tree.Encrypt`, `aes.Cipher.Encrypt` and
// `EncryptTree` (getsops/sops v3.13.2), for the cases the public corpus has no file for
// (multi-document files, mac_only_encrypted, encrypted_suffix, dotenv) and for fixtures of
// integration tests and benchmarks. It cross-checks against the corpus: encrypting a corpus
// plaintext gives the corpus MAC (test/unit/manifests/decrypt/sops-decrypt.test.ts).

/** How to encrypt. */
export interface SopsEncryptOptions {
  /** age recipients (`age1…`) the data key is wrapped for. */
  recipients: string[];
  /** The encryption rule: `{encrypted_regex: '^(data|stringData)$'}`. Default: unencrypted_suffix `_unencrypted`. */
  rule?: Partial<
    Record<
      'unencrypted_suffix' | 'encrypted_suffix' | 'unencrypted_regex' | 'encrypted_regex',
      string
    >
  >;
  macOnlyEncrypted?: boolean;
  /** RFC 3339, seconds. Default now. */
  lastModified?: string;
  /** The data key. Default 32 random bytes. */
  dataKey?: Buffer;
}

function encryptValue(plain: Buffer, type: string, key: Buffer, aad: string): string {
  const iv = randomBytes(32);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${type}]`;
}

function shouldEncrypt(rule: SopsEncryptOptions['rule'], path: string[]): boolean {
  if (rule?.encrypted_suffix) return path.some((k) => k.endsWith(rule.encrypted_suffix as string));
  if (rule?.unencrypted_regex)
    return !path.some((k) => new RegExp(rule.unencrypted_regex as string).test(k));
  if (rule?.encrypted_regex)
    return path.some((k) => new RegExp(rule.encrypted_regex as string).test(k));
  const suffix = rule?.unencrypted_suffix ?? '_unencrypted';
  return !path.some((k) => k.endsWith(suffix));
}

async function wrap(key: Buffer, recipients: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of recipients) {
    const e = new Encrypter();
    e.addRecipient(r);
    out.push(armor.encode(await e.encrypt(key)));
  }
  return out;
}

async function metadata(
  opts: SopsEncryptOptions,
  key: Buffer,
  hash: ReturnType<typeof createHash>,
): Promise<{ lastModified: string; mac: string; wrapped: string[] }> {
  const lastModified = opts.lastModified ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const mac = encryptValue(Buffer.from(hash.digest('hex').toUpperCase()), 'str', key, lastModified);
  return { lastModified, mac, wrapped: await wrap(key, opts.recipients) };
}

const MAC_ONLY_INIT = createHash('sha256').update('sops').digest();

/** Encrypts a plaintext YAML file (documents separated by `---` lines) as sops would. */
export async function sopsEncryptYaml(
  plaintext: string,
  opts: SopsEncryptOptions,
): Promise<string> {
  const key = opts.dataKey ?? randomBytes(32);
  const hash = createHash('sha512');
  if (opts.macOnlyEncrypted) hash.update(MAC_ONLY_INIT);
  const chunks = plaintext.split(/^---\n/m).filter((c) => c.trim() !== '');
  const encrypted: string[] = [];
  for (const chunk of chunks) {
    const doc = parseAllDocuments(chunk, { schema: 'failsafe' })[0];
    if (!doc) continue;
    const edits: Array<{ start: number; end: number; text: string }> = [];
    const walk = (node: Node | null | undefined, path: string[]) => {
      if (isMap(node))
        for (const p of node.items)
          walk(p.value as Node, [...path, String((p.key as { value: unknown }).value)]);
      else if (isSeq(node)) for (const item of node.items) walk(item as Node, path);
      else if (isScalar(node)) {
        const r = resolveScalar(String(node.value), node.type === 'PLAIN', node.tag);
        if (!('value' in r)) return;
        const enc = shouldEncrypt(opts.rule, path);
        if (!opts.macOnlyEncrypted || enc) hash.update(macBytes(r.value));
        if (!enc) return;
        const v: SopsValue = r.value;
        if (v.type === 'str' && v.value === '') return;
        const type = v.type === 'bytes' ? 'bytes' : v.type;
        const range = node.range as [number, number, number];
        edits.push({
          start: range[0],
          end: range[1],
          text: encryptValue(macBytes(v), type, key, `${path.join(':')}:`),
        });
      }
    };
    walk(doc.contents as Node, []);
    let out = '';
    let cursor = 0;
    for (const e of edits.sort((a, b) => a.start - b.start)) {
      out += chunk.slice(cursor, e.start) + e.text;
      cursor = e.end;
    }
    encrypted.push(out + chunk.slice(cursor));
  }
  const meta = await metadata(opts, key, hash);
  const ruleLines = Object.entries(opts.rule ?? { unencrypted_suffix: '_unencrypted' }).map(
    ([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`,
  );
  const block =
    'sops:\n    age:\n' +
    meta.wrapped
      .map(
        (enc, i) =>
          `        - recipient: ${opts.recipients[i]}\n          enc: |\n${enc
            .trimEnd()
            .split('\n')
            .map((l) => `            ${l}\n`)
            .join('')}`,
      )
      .join('') +
    `    lastmodified: "${meta.lastModified}"\n    mac: ${meta.mac}\n` +
    ruleLines.join('') +
    (opts.macOnlyEncrypted ? '    mac_only_encrypted: true\n' : '') +
    '    version: 3.9.0\n';
  return encrypted.map((doc) => `${doc.endsWith('\n') ? doc : `${doc}\n`}${block}`).join('---\n');
}

/** Encrypts a dotenv file (`KEY=value` lines) as sops's dotenv store would. */
export async function sopsEncryptDotenv(
  plaintext: string,
  opts: SopsEncryptOptions,
): Promise<string> {
  const key = opts.dataKey ?? randomBytes(32);
  const hash = createHash('sha512');
  if (opts.macOnlyEncrypted) hash.update(MAC_ONLY_INIT);
  const lines: string[] = [];
  for (const line of plaintext.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1).replaceAll('\\n', '\n');
    const enc = shouldEncrypt(opts.rule, [k]);
    if (!opts.macOnlyEncrypted || enc) hash.update(Buffer.from(v));
    lines.push(
      `${k}=${enc && v !== '' ? encryptValue(Buffer.from(v), 'str', key, `${k}:`) : v.replaceAll('\n', '\\n')}`,
    );
  }
  const meta = await metadata(opts, key, hash);
  meta.wrapped.forEach((enc, i) => {
    lines.push(`sops_age__list_${i}__map_enc=${enc.trimEnd().replaceAll('\n', '\\n')}`);
    lines.push(`sops_age__list_${i}__map_recipient=${opts.recipients[i]}`);
  });
  lines.push(`sops_lastmodified=${meta.lastModified}`, `sops_mac=${meta.mac}`);
  for (const [k, v] of Object.entries(opts.rule ?? { unencrypted_suffix: '_unencrypted' }))
    lines.push(`sops_${k}=${v}`);
  if (opts.macOnlyEncrypted) lines.push('sops_mac_only_encrypted=true');
  lines.push('sops_version=3.9.0');
  return `${lines.join('\n')}\n`;
}
