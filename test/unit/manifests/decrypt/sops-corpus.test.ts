import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { formatGoFloat } from '../../../../src/manifests/decrypt/go-number.js';
import { marshalGoTime } from '../../../../src/manifests/decrypt/go-time.js';
import {
  AgeKeyring,
  decryptSopsFile,
  SopsError,
  type SopsFailure,
  type SopsValue,
  type TypedTree,
} from '../../../../src/manifests/decrypt/index.js';
import { openYamlFile } from '../../../../src/manifests/decrypt/yaml-store.js';
import { sopsCorpus } from './corpus.js';

// Conformance with the SOPS corpus (../shared/corpus/sops/README.md): every case of
// expected/ is a test. age fixtures go through the whole path (identities → data key →
// values → MAC); PGP fixtures, whose keys Berth does not use, are decrypted from the data
// key the corpus recorded, so the tree walk, typing and MAC are checked on them too.

interface Expected {
  fixture: string;
  decrypt_with: string;
  outcome: 'ok' | 'error';
  data_key_hex?: string;
  mac?: string;
  leaves?: { encrypted: number; plain: number };
  documents?: unknown[];
  encrypted_comments?: Array<{ aad: string; plaintext: string }>;
  sops_exit_code?: number;
  message?: string;
}

const cases = sopsCorpus
  ? readdirSync(path.join(sopsCorpus, 'expected'))
      .sort()
      .map((name) => ({
        name,
        expected: JSON.parse(
          readFileSync(path.join(sopsCorpus, 'expected', name), 'utf8'),
        ) as Expected,
      }))
  : [];
if (!sopsCorpus) console.warn('sops corpus: skipped, no ../shared/corpus/sops');

/** A typed tree in the corpus's JSON form ($int, $float, $time). */
function toExpectedJson(tree: TypedTree): unknown {
  if (tree === null) return null;
  if (Array.isArray(tree)) return tree.map(toExpectedJson);
  if ('type' in tree && typeof tree.type === 'string' && 'value' in tree && !isPlainMap(tree)) {
    const v = tree as SopsValue;
    switch (v.type) {
      case 'str':
        return v.value;
      case 'bool':
        return v.value;
      case 'int':
        return { $int: v.value.toString() };
      case 'float':
        return { $float: formatGoFloat(v.value) };
      case 'time':
        return { $time: marshalGoTime(v.value) };
      case 'bytes':
        return v.value.toString('utf8');
    }
  }
  return Object.fromEntries(
    Object.entries(tree).map(([k, v]) => [k, toExpectedJson(v as TypedTree)]),
  );
}
function isPlainMap(v: object): boolean {
  return (
    Object.getPrototypeOf(v) === Object.prototype &&
    !(['str', 'bool', 'int', 'float', 'time', 'bytes'] as unknown[]).includes(
      (v as { type?: unknown }).type,
    )
  );
}

/** The corpus's typed JSON as plain JSON values (what a YAML reader gives). */
function plainJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainJson);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('$int' in o) return Number(o.$int);
    if ('$float' in o) return Number(o.$float);
    if ('$time' in o) return o.$time;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plainJson(x)]));
  }
  return v;
}

const keyrings = new Map<string, Promise<AgeKeyring>>();
function keyring(file: string): Promise<AgeKeyring> {
  let k = keyrings.get(file);
  if (!k) {
    k = AgeKeyring.create([
      { location: file, text: readFileSync(path.join(sopsCorpus, file), 'utf8') },
    ]);
    keyrings.set(file, k);
  }
  return k;
}

const FAILURE_OF: Record<number, SopsFailure[]> = {
  25: ['value'],
  51: ['mac-mismatch', 'mac-undecryptable', 'no-mac'],
  128: ['no-key'],
};

function expectSame(
  result: {
    mac: string;
    leaves: unknown;
    documents: TypedTree[];
    comments: unknown[];
    content: Uint8Array;
  },
  e: Expected,
  fixture: string,
) {
  expect(result.mac).toBe(e.mac);
  expect(result.leaves).toEqual(e.leaves);
  expect(result.documents.map(toExpectedJson)).toEqual(e.documents);
  expect(result.comments).toEqual(
    (e.encrypted_comments ?? []).map((c) => ({
      aad: c.aad,
      plaintext: c.plaintext.replace(/^#/, ''),
    })),
  );
  // The decrypted text, read back as YAML, holds the same values.
  if (!fixture.endsWith('.txt')) {
    const text = Buffer.from(result.content).toString('utf8');
    const docs = parseAllDocuments(text).map((d) => d.toJS() ?? {});
    expect(docs).toEqual(e.documents?.map(plainJson));
    expect(text).not.toContain('ENC[AES256_GCM');
    expect(text.split('\n').length).toBe(
      readFileSync(path.join(sopsCorpus, fixture), 'utf8').split('\n').length,
    );
  }
}

describe.skipIf(!sopsCorpus)('SOPS corpus', () => {
  for (const { name, expected: e } of cases) {
    it(`${name}: ${e.outcome}${e.sops_exit_code ? ` (sops exit ${e.sops_exit_code})` : ''}`, async () => {
      const file = path.join(sopsCorpus, e.fixture);
      const content = readFileSync(file);
      const pgp = e.decrypt_with.startsWith('pgp:');
      if (e.outcome === 'ok' && !pgp) {
        const result = await decryptSopsFile(e.fixture, content, await keyring(e.decrypt_with));
        expect(result).not.toBeNull();
        expectSame(result as NonNullable<typeof result>, e, e.fixture);
        if (e.fixture.endsWith('.txt')) {
          const doc = e.documents?.[0] as { data: string };
          expect(Buffer.from((result as NonNullable<typeof result>).content).toString('utf8')).toBe(
            doc.data,
          );
        }
        return;
      }
      if (e.outcome === 'ok') {
        // PGP: Berth refuses the file (no age entry) …
        await expect(decryptSopsFile(e.fixture, content, AgeKeyring.empty)).rejects.toMatchObject({
          failure: 'no-key',
        });
        // … and its tree decrypts and verifies with the recorded data key.
        const opened = openYamlFile(content.toString('utf8'));
        expectSame(
          opened?.decrypt(Buffer.from(e.data_key_hex as string, 'hex')) as never,
          e,
          e.fixture,
        );
        return;
      }
      // Failures: the same reason as sops's exit code, and for a MAC mismatch the same digest.
      let err: unknown;
      try {
        if (pgp) {
          // The PGP no-MAC file: its data key is the one derived-age/sops-no_mac.age.yaml wraps for age.
          const derived = openYamlFile(
            readFileSync(path.join(sopsCorpus, 'derived-age/sops-no_mac.age.yaml'), 'utf8'),
          );
          const key = await (await keyring('keys/sops-age-keys.txt')).dataKey(
            derived?.metadata.ageKeys ?? [],
          );
          openYamlFile(content.toString('utf8'))?.decrypt((key as { key: Buffer }).key);
        } else {
          const keys = e.decrypt_with.split(' ')[0] as string;
          await decryptSopsFile(e.fixture, content, await keyring(keys));
        }
      } catch (caught) {
        err = caught;
      }
      expect(err).toBeInstanceOf(SopsError);
      const sopsErr = err as SopsError & { computedMac?: string };
      expect(FAILURE_OF[e.sops_exit_code as number]).toContain(sopsErr.failure);
      const computed = /computed ([0-9A-F]{128})/.exec(e.message ?? '')?.[1];
      if (computed) expect(sopsErr.computedMac).toBe(computed);
      if (/File has no MAC/.test(e.message ?? '')) expect(sopsErr.failure).toBe('no-mac');
      if (/Cannot decrypt MAC/.test(e.message ?? ''))
        expect(sopsErr.failure).toBe('mac-undecryptable');
      if (/MAC mismatch. File has [0-9A-F]/.test(e.message ?? ''))
        expect(sopsErr.failure).toBe('mac-mismatch');
      expect(sopsErr.line).toBeGreaterThan(0);
    });
  }
});
