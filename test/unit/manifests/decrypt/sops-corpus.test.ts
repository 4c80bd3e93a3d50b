import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { openValue } from '../../../../src/manifests/decrypt/aes-gcm.js';
import { type EncValue, parseEncValue } from '../../../../src/manifests/decrypt/enc-value.js';
import { formatGoFloat } from '../../../../src/manifests/decrypt/go-number.js';
import { marshalGoTime } from '../../../../src/manifests/decrypt/go-time.js';
import {
  AgeKeyring,
  decryptAndValidate,
  decryptRevision,
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

/** The fixture folders; every file in them is a case of expected/ or a plaintext it names. */
const FIXTURE_DIRS = ['age', 'derived-age', 'negative', 'pgp'];
/** Plaintexts kept beside the fixtures (checked below, not decrypted). */
const PLAINTEXTS = [
  'pgp/ksops-krm-behaviors-want.yaml',
  'pgp/ksops-krm-single-want.yaml',
  'pgp/sops-comments.yaml',
];

describe.skipIf(!sopsCorpus)('SOPS corpus: completeness and the other checks it carries', () => {
  it('every fixture file is a case of expected/ (or a plaintext checked here), and every case names a fixture', () => {
    const files = FIXTURE_DIRS.flatMap((dir) =>
      readdirSync(path.join(sopsCorpus, dir)).map((f) => `${dir}/${f}`),
    );
    const fixtures = new Set(cases.map((c) => c.expected.fixture));
    expect(files.filter((f) => !fixtures.has(f) && !PLAINTEXTS.includes(f))).toEqual([]);
    expect([...fixtures].filter((f) => !files.includes(f))).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(33);
  });

  it("sops's AES-layer known-answer vector (aes/cipher_test.go): opens with AAD bar:, fails with none", () => {
    const vectors = readFileSync(path.join(sopsCorpus, 'keys/sops-unit-test-vectors.txt'), 'utf8');
    const ciphertext = /^ciphertext: (ENC\[.*\])$/m.exec(vectors)?.[1] as string;
    const enc = parseEncValue(ciphertext);
    expect(typeof enc).not.toBe('string');
    const key = Buffer.alloc(32, 'f');
    expect(openValue(enc as EncValue, key, 'bar:')?.toString()).toBe('foo');
    expect(openValue(enc as EncValue, key, '')).toBeNull();
  });

  it("sops's age-layer known-answer vector (age/keysource_test.go): the identity opens the armored key", async () => {
    const vectors = readFileSync(path.join(sopsCorpus, 'keys/sops-unit-test-vectors.txt'), 'utf8');
    const identity = /^identity: +(AGE-SECRET-KEY-1\S+)$/m.exec(vectors)?.[1] as string;
    const recipient = /^recipient: +(age1\S+)$/m.exec(vectors)?.[1] as string;
    const armored =
      /-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----/.exec(
        vectors,
      )?.[0] as string;
    const ring = await AgeKeyring.create([{ location: 'vectors', text: identity }]);
    expect(ring.recipients).toEqual([recipient]);
    // The plaintext is "data" (4 bytes): it opens, and is refused as a sops data key for its size.
    expect(await ring.dataKey([armored])).toEqual({
      reasons: ['the data key is 4 bytes, not 32'],
    });
    expect(await AgeKeyring.empty.dataKey([armored])).toEqual({ reasons: [] });
  });

  it("the KSOPS fixtures decrypt to KSOPS's expected output (want.yaml); through a Kustomize build as a resource, with sops's binary file as a generator source", async () => {
    const ring = await keyring('keys/sops-age-keys.txt');
    const want = (f: string) =>
      parseAllDocuments(readFileSync(path.join(sopsCorpus, f), 'utf8')).map((d) => d.toJS());
    const corpusFile = (p: string, f: string) => ({
      path: p,
      content: readFileSync(path.join(sopsCorpus, f)),
      mode: 'file' as const,
    });
    const built = await decryptAndValidate(
      [
        {
          path: 'kustomization.yaml',
          content: Buffer.from(
            'resources: [secret.yaml]\nsecretGenerator:\n  - name: welcome\n    files: [welcome.txt]\n',
          ),
          mode: 'file',
        },
        corpusFile('secret.yaml', 'derived-age/ksops-krm-single-secret.age.yaml'),
        corpusFile('welcome.txt', 'age/sops-pr1031-example.txt'),
      ],
      {},
      ring,
    );
    expect(built.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const objects = [...built.state.objects.values()];
    expect(objects.filter((o) => o.name === 'mysecret').map((o) => o.object)).toEqual(
      want('pgp/ksops-krm-single-want.yaml'),
    );
    const welcome = objects.find((o) => o.name.startsWith('welcome-'))?.object as unknown as {
      data: Record<string, string>;
    };
    const txt = JSON.parse(
      readFileSync(path.join(sopsCorpus, 'expected/age__sops-pr1031-example.txt.json'), 'utf8'),
    ) as { documents: Array<{ data: string }> };
    expect(Buffer.from(welcome.data['welcome.txt'] as string, 'base64').toString()).toBe(
      txt.documents[0]?.data,
    );
    // behaviors: an overlay Secret whose kustomize behavior annotation KSOPS's generator consumes.
    const behaviors = await decryptSopsFile(
      'secret.yaml',
      readFileSync(path.join(sopsCorpus, 'derived-age/ksops-krm-behaviors-secret.age.yaml')),
      ring,
    );
    const docs = parseAllDocuments(Buffer.from(behaviors?.content ?? []).toString()).map((d) => {
      const o = d.toJS();
      delete o.metadata.annotations;
      return o;
    });
    expect(docs).toEqual(want('pgp/ksops-krm-behaviors-want.yaml'));
  });

  it('any one matching sops.age[] entry opens the data key: each identity alone, whatever the recipient labels say', async () => {
    const lines = readFileSync(path.join(sopsCorpus, 'keys/sops-age-keys.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('AGE-SECRET-KEY-'));
    expect(lines).toHaveLength(2);
    const fixture = 'age/sops-pr1031-example.yaml';
    const content = readFileSync(path.join(sopsCorpus, fixture), 'utf8');
    const e = cases.find((c) => c.expected.fixture === fixture)?.expected as Expected;
    // The recipient labels swapped and then removed: sops does not trust them, nor does Berth.
    const [r1, r2] = [...content.matchAll(/recipient: (age1\w+)/g)].map((m) => m[1] as string);
    const swapped = content
      .replaceAll(r1 as string, 'R1')
      .replaceAll(r2 as string, r1 as string)
      .replaceAll('R1', r2 as string);
    for (const line of lines)
      for (const text of [
        content,
        swapped,
        content.replace(/^\s*- recipient: age1\w+\n/gm, (m) =>
          m.replace(/recipient: age1\w+/, 'recipient: age1unknown'),
        ),
      ]) {
        const ring = await AgeKeyring.create([{ location: 'one line', text: line }]);
        const result = await decryptSopsFile(fixture, Buffer.from(text), ring);
        expect(result?.mac).toBe(e.mac);
      }
  });

  it('CRLF line ends: the age fixtures decrypt and verify the same', async () => {
    for (const { expected: e } of cases.filter(
      (c) => c.expected.outcome === 'ok' && !c.expected.decrypt_with.startsWith('pgp:'),
    )) {
      const crlf = readFileSync(path.join(sopsCorpus, e.fixture), 'utf8').replace(/\n/g, '\r\n');
      const result = await decryptSopsFile(
        e.fixture,
        Buffer.from(crlf),
        await keyring(e.decrypt_with),
      );
      expect(result?.mac, e.fixture).toBe(e.mac);
    }
  });

  it('in a revision: each age case either passes decrypted, or makes one positioned error naming the file and the reason, and the file is left out', async () => {
    const REASON: Record<number, RegExp> = {
      25: /^SOPS: cannot decrypt the value at /,
      51: /^SOPS: (MAC mismatch|cannot decrypt the MAC|the file has no MAC)/,
      128: /^SOPS: none of the 1 configured age identities opens the data key/,
    };
    for (const { name, expected: e } of cases.filter(
      (c) => !c.expected.decrypt_with.startsWith('pgp:'),
    )) {
      const keys = e.decrypt_with.split(' ')[0] as string;
      const content = readFileSync(path.join(sopsCorpus, e.fixture));
      const result = await decryptRevision(
        [{ path: e.fixture, content, mode: 'file' }],
        await keyring(keys),
      );
      if (e.outcome === 'ok') {
        expect(result.problems, name).toEqual([]);
        expect(result.decrypted, name).toEqual([e.fixture]);
        continue;
      }
      expect(result.files, name).toEqual([]);
      expect(result.problems, name).toHaveLength(1);
      const [p] = result.problems;
      expect(p, name).toMatchObject({ file: e.fixture, severity: 'error', code: 'decrypt' });
      expect(p?.line, name).toBeGreaterThan(0);
      expect(p?.column, name).toBeGreaterThan(0);
      expect(p?.message, name).toMatch(REASON[e.sops_exit_code as number] as RegExp);
      expect(p?.message, name).not.toMatch(/[0-9A-F]{128}/);
    }
  });
});
