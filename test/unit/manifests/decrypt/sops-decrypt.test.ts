import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AgeKeyring,
  decryptAndValidate,
  decryptRevision,
  decryptSopsFile,
} from '../../../../src/manifests/index.js';
import type { SourceFile } from '../../../../src/source/index.js';
import { sopsEncryptDotenv, sopsEncryptYaml } from '../../../harness/sops-encrypt.js';
import { sopsCorpus } from './corpus.js';

// The parts of sops no public fixture covers (multi-document files, mac_only_encrypted,
// encrypted_suffix, unencrypted_regex, dotenv), with files made at run time by the test
// encrypter (written from sops's code; checked here against a corpus MAC), and the revision
// level: positions, refusals, and what reaches the loader.

let identity: string;
let recipient: string;
let keyring: AgeKeyring;
beforeAll(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
  keyring = await AgeKeyring.create([{ location: 'test', text: `# test key\n${identity}\n` }]);
});

const file = (p: string, text: string): SourceFile => ({
  path: p,
  content: Buffer.from(text),
  mode: 'file',
});

const SECRETS = `apiVersion: v1
kind: Secret
metadata:
  name: one
  labels:
    tier: db
stringData:
  password: hunter2
  port: "5432"
---
apiVersion: v1
kind: Secret
metadata:
  name: two
data:
  token: c2VjcmV0
immutable: true
`;

describe('SOPS decryption', () => {
  it.skipIf(!sopsCorpus)(
    'the test encrypter gives the corpus MAC for a corpus plaintext',
    async () => {
      const plain = readFileSync(path.join(sopsCorpus, 'pgp/sops-comments.yaml'), 'utf8');
      const expected = JSON.parse(
        readFileSync(path.join(sopsCorpus, 'expected/pgp__sops-comments.enc.yaml.json'), 'utf8'),
      );
      const enc = await sopsEncryptYaml(plain, { recipients: [recipient] });
      const result = await decryptSopsFile('c.yaml', Buffer.from(enc), keyring);
      expect(result?.mac).toBe(expected.mac);
    },
  );

  it('a multi-document file: one MAC over both documents, each document decrypted', async () => {
    const enc = await sopsEncryptYaml(SECRETS, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
    });
    expect(enc).not.toContain('hunter2');
    expect(enc.match(/^sops:/gm)).toHaveLength(2);
    const result = await decryptSopsFile('s.yaml', Buffer.from(enc), keyring);
    expect(result?.leaves).toEqual({ encrypted: 3, plain: 8 });
    const text = Buffer.from(result?.content as Uint8Array).toString('utf8');
    expect(text).toContain('password: "hunter2"');
    expect(text).toContain('port: "5432"');
    expect(text).not.toMatch(/^\s*sops:/m);
    // Tampering with a plain value of the second document breaks the one MAC.
    const tampered = enc.replace('immutable: true', 'immutable: false');
    await expect(decryptSopsFile('s.yaml', Buffer.from(tampered), keyring)).rejects.toMatchObject({
      failure: 'mac-mismatch',
    });
    // So does deleting an encrypted entry.
    const deleted = enc.replace(/^ {2}token: .*\n/m, '');
    await expect(decryptSopsFile('s.yaml', Buffer.from(deleted), keyring)).rejects.toMatchObject({
      failure: 'mac-mismatch',
    });
  });

  it('mac_only_encrypted: plain values are outside the MAC, encrypted ones inside', async () => {
    const enc = await sopsEncryptYaml(SECRETS, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
      macOnlyEncrypted: true,
    });
    const relabelled = enc.replace('tier: db', 'tier: web');
    const result = await decryptSopsFile('s.yaml', Buffer.from(relabelled), keyring);
    expect(Buffer.from(result?.content as Uint8Array).toString()).toContain('tier: web');
    // Without the sha256("sops") prefix the same file would not verify: flip the flag.
    const flipped = enc.replace(/^ {4}mac_only_encrypted: true\n/gm, '');
    await expect(decryptSopsFile('s.yaml', Buffer.from(flipped), keyring)).rejects.toMatchObject({
      failure: 'mac-mismatch',
    });
  });

  it("the MAC's additional data is lastmodified as Go re-formats it (RFC 3339, seconds, Z for UTC)", async () => {
    const enc = await sopsEncryptYaml(SECRETS, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
      lastModified: '2024-03-01T10:00:00Z',
    });
    const withLast = (t: string) =>
      Buffer.from(enc.replaceAll('lastmodified: "2024-03-01T10:00:00Z"', `lastmodified: "${t}"`));
    for (const same of ['2024-03-01T10:00:00+00:00', '2024-03-01T10:00:00.250Z'])
      expect((await decryptSopsFile('s.yaml', withLast(same), keyring))?.mac, same).toMatch(
        /^[0-9A-F]{128}$/,
      );
    for (const other of ['2024-03-01T11:00:00+01:00', '2024-03-01T10:00:01Z'])
      await expect(
        decryptSopsFile('s.yaml', withLast(other), keyring),
        other,
      ).rejects.toMatchObject({ failure: 'mac-undecryptable' });
  });

  it('encrypted_suffix and unencrypted_regex choose the leaves by key path', async () => {
    const plain = 'db:\n  user: app\n  password_secret: s3cr3t\nlist_secret:\n  - a\n  - b\n';
    const bySuffix = await sopsEncryptYaml(plain, {
      recipients: [recipient],
      rule: { encrypted_suffix: '_secret' },
    });
    expect(bySuffix).toContain('user: app');
    expect(bySuffix).not.toContain('s3cr3t');
    const r1 = await decryptSopsFile('a.yaml', Buffer.from(bySuffix), keyring);
    expect(r1?.leaves).toEqual({ encrypted: 3, plain: 1 });
    const byRegex = await sopsEncryptYaml(plain, {
      recipients: [recipient],
      rule: { unencrypted_regex: '^user$' },
    });
    const r2 = await decryptSopsFile('a.yaml', Buffer.from(byRegex), keyring);
    expect(r2?.leaves).toEqual({ encrypted: 3, plain: 1 });
    // A value that the rule says is encrypted but is written in clear is refused.
    const inClear = byRegex.replace(/password_secret: ENC\[[^\]]*\]/, 'password_secret: s3cr3t');
    await expect(decryptSopsFile('a.yaml', Buffer.from(inClear), keyring)).rejects.toMatchObject({
      failure: 'value',
      line: 3,
    });
  });

  it('a dotenv file (a Kustomize secretGenerator env source) decrypts to KEY=value lines', async () => {
    const enc = await sopsEncryptDotenv('USER=app\nPASSWORD=hunter2\nMULTI=a\\nb\n', {
      recipients: [recipient],
    });
    expect(enc).not.toContain('hunter2');
    const result = await decryptSopsFile('app.env', Buffer.from(enc), keyring);
    const text = Buffer.from(result?.content as Uint8Array).toString();
    expect(text.split('\n').filter((l) => l !== '')).toEqual([
      'USER=app',
      'PASSWORD=hunter2',
      'MULTI=a\\nb',
    ]);
    const tampered = enc.replace('USER=', 'USER2=');
    await expect(decryptSopsFile('app.env', Buffer.from(tampered), keyring)).rejects.toMatchObject({
      failure: 'value',
    });
  });

  it('no identity, a wrong identity: refused, naming why, never a key', async () => {
    const enc = Buffer.from(await sopsEncryptYaml(SECRETS, { recipients: [recipient] }));
    await expect(decryptSopsFile('s.yaml', enc, AgeKeyring.empty)).rejects.toThrow(
      /no age identity is configured/,
    );
    const other = await AgeKeyring.create([
      { location: 'other', text: await generateX25519Identity() },
    ]);
    const err = await decryptSopsFile('s.yaml', enc, other).catch((e) => e);
    expect(err.failure).toBe('no-key');
    expect(err.message).not.toMatch(/AGE-SECRET-KEY/);
    await expect(
      AgeKeyring.create([{ location: 'keys.txt', text: 'AGE-SECRET-KEY-1NOTAKEY\n' }]),
    ).rejects.toThrow(/keys.txt line 1: malformed age identity/);
  });
});

describe('which files are SOPS files', () => {
  it('a top-level sops mapping with mac or version makes a SOPS file; anything else is left to the loader', async () => {
    const enc = await sopsEncryptYaml(SECRETS, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
    });
    const bytes = (t: string) => Buffer.from(t);
    // Not SOPS: no sops key, a sops key that is no mapping, a sops mapping with neither mac
    // nor version, a sops block only in a later document, a nested sops key.
    for (const text of [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {sops: x}\n',
      'a: 1\nsops: just a string with mac and version\n',
      'a: 1\nsops:\n  lastmodified: "2024-01-01T00:00:00Z"\n  age: []\n',
      '{"a": 1, "sops": {"age": []}}\n',
      'a: 1\n---\nb: 2\nsops:\n  mac: x\n  version: 3.9.0\n',
    ])
      for (const name of ['f.yaml', 'f.json'])
        expect(await decryptSopsFile(name, bytes(text), keyring), text).toBeNull();
    // SOPS: the encrypter's file (mac and version), and the same file with only one of them,
    // which is then refused for what it lacks, never read as plain.
    expect(await decryptSopsFile('s.yaml', bytes(enc), keyring)).not.toBeNull();
    const noVersion = enc.replace(/^ {4}version: .*\n/gm, '');
    expect(noVersion).not.toBe(enc);
    expect((await decryptSopsFile('s.yaml', bytes(noVersion), keyring))?.mac).toMatch(
      /^[0-9A-F]{128}$/,
    );
    const noMac = enc.replace(/^ {4}mac: .*\n/gm, '');
    await expect(decryptSopsFile('s.yaml', bytes(noMac), keyring)).rejects.toMatchObject({
      failure: 'no-mac',
    });
    // The same rule for JSON, and the dotenv store's flattened keys.
    const json = JSON.stringify({ a: 'b', sops: { version: '3.9.0' } });
    await expect(decryptSopsFile('f.json', bytes(json), keyring)).rejects.toMatchObject({
      failure: 'metadata',
    });
    expect(await decryptSopsFile('f.env', bytes('A=1\nsops_other=2\n'), keyring)).toBeNull();
  });
});

describe('SOPS in a revision', () => {
  it('positions of validation errors in a decrypted file are those of the encrypted file', async () => {
    const plain = `apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: hunter2
type: Opaque
wrongField: 1
`;
    const enc = await sopsEncryptYaml(plain, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
    });
    const result = await decryptAndValidate([file('app/secret.yaml', enc)], {}, keyring);
    expect(result.valid).toBe(false);
    const problem = result.problems.find(
      (p) => p.path.includes('wrongField') || p.message.includes('wrongField'),
    );
    expect(problem).toMatchObject({ file: 'app/secret.yaml', line: 8, column: 1 });
    expect(JSON.stringify(result.problems)).not.toContain('hunter2');
  });

  it('a valid encrypted Secret becomes a desired object with its values in clear', async () => {
    const enc = await sopsEncryptYaml(SECRETS, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
    });
    const result = await decryptAndValidate([file('secrets.yaml', enc)], {}, keyring);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const two = [...result.state.objects.values()].find((o) => o.name === 'two');
    expect(two).toBeDefined();
    const data = (two?.object as unknown as { data?: Record<string, string> } | undefined)?.data;
    expect(data?.token).toBe('c2VjcmV0');
    // The second document starts where it does in the encrypted file (after the first sops block).
    const line = enc.split('\n').indexOf('---') + 2;
    expect(line).toBeGreaterThan(11);
    expect(two?.source).toMatchObject({ file: 'secrets.yaml', line, column: 1 });
  });

  it('a file that fails makes the revision invalid with a positioned error, and is left out', async () => {
    const enc = await sopsEncryptYaml(SECRETS, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
    });
    const tampered = enc.replace('name: one', 'name: uno');
    expect(tampered).not.toBe(enc);
    const { files, problems } = await decryptRevision(
      [file('s.yaml', tampered), file('plain.yaml', 'a: 1\n')],
      keyring,
    );
    expect(files.map((f) => f.path)).toEqual(['plain.yaml']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 's.yaml', code: 'decrypt', severity: 'error' });
    expect(problems[0]?.message).toMatch(/^SOPS: MAC mismatch/);
    expect(problems[0]?.line).toBeGreaterThan(10);
    // Nothing of the revision is applied, not even its valid files.
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\ndata: {a: b}\n';
    const alone = await decryptAndValidate([file('cm.yaml', configMap)], {}, keyring);
    expect(alone.state.objects.size).toBe(1);
    const result = await decryptAndValidate(
      [file('s.yaml', tampered), file('cm.yaml', configMap)],
      {},
      keyring,
    );
    expect(result.valid).toBe(false);
    expect(result.state.objects.size).toBe(0);
    expect(result.problems.find((p) => p.code === 'decrypt')).toMatchObject({ file: 's.yaml' });
  });

  it('an ENC value in a file whose sops block was removed is refused', async () => {
    const enc = await sopsEncryptYaml(SECRETS, { recipients: [recipient] });
    const stripped = enc
      .split('---\n')
      .map((d) => d.replace(/^sops:[\s\S]*$/m, ''))
      .join('---\n');
    const { problems } = await decryptRevision([file('s.yaml', stripped)], keyring);
    expect(problems[0]?.message).toMatch(/SOPS-encrypted but the file has no sops metadata/);
    // The same for a .env generator source whose sops_* lines were removed: its values would
    // otherwise reach a Secret as ciphertext.
    const env = await sopsEncryptDotenv('USER=app\nPASSWORD=hunter2\n', {
      recipients: [recipient],
    });
    const bare = env.replace(/^sops_.*\n?/gm, '');
    const r = await decryptRevision([file('app.env', bare), file('notes.md', bare)], keyring);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: 'app.env', line: 1, code: 'decrypt' });
    expect(r.files.map((f) => f.path)).toEqual(['notes.md']);
  });
});

describe('SOPS through Kustomize', () => {
  it('an encrypted Secret as a resource and an encrypted .env as a secretGenerator source build in clear, values never in problems', async () => {
    const secret = await sopsEncryptYaml(SECRETS, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
    });
    const env = await sopsEncryptDotenv('API_KEY=s3cr3t-from-env\nMODE=prod\n', {
      recipients: [recipient],
    });
    const kustomization = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: shop',
      'resources: [namespace.yaml, secrets.yaml]',
      'secretGenerator:',
      '  - name: api',
      '    envs: [api.env]',
      '',
    ].join('\n');
    const result = await decryptAndValidate(
      [
        file('kustomization.yaml', kustomization),
        file('namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n'),
        file('secrets.yaml', secret),
        file('api.env', env),
      ],
      {},
      keyring,
    );
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const objects = [...result.state.objects.values()];
    const two = objects.find((o) => o.name === 'two');
    expect(two?.namespace).toBe('shop');
    expect(((two?.object ?? {}) as unknown as { data: Record<string, string> }).data.token).toBe(
      'c2VjcmV0',
    );
    const generated = objects.find((o) => o.kind === 'Secret' && o.name.startsWith('api-'));
    expect(generated).toBeDefined();
    const data = ((generated?.object ?? {}) as unknown as { data: Record<string, string> }).data;
    expect(Buffer.from(data.API_KEY as string, 'base64').toString()).toBe('s3cr3t-from-env');
    expect(Buffer.from(data.MODE as string, 'base64').toString()).toBe('prod');
    // Without the key, the build never sees the files in clear: positioned errors, no value.
    const locked = await decryptAndValidate(
      [
        file('kustomization.yaml', kustomization),
        file('namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n'),
        file('secrets.yaml', secret),
        file('api.env', env),
      ],
      {},
      AgeKeyring.empty,
    );
    expect(locked.valid).toBe(false);
    expect(locked.problems.some((p) => p.file === 'secrets.yaml' && p.code === 'decrypt')).toBe(
      true,
    );
    expect(JSON.stringify(locked.problems)).not.toContain('s3cr3t-from-env');
  });

  it('a base outside the source path: its SOPS files decrypt; one that fails is reported with its reason when the build uses it, ignored when not', async () => {
    const secret = await sopsEncryptYaml(
      'apiVersion: v1\nkind: Secret\nmetadata: {name: base-secret}\nstringData:\n  password: hunter2-base\n',
      { recipients: [recipient], rule: { encrypted_regex: '^(data|stringData)$' } },
    );
    const env = await sopsEncryptDotenv('TOKEN=hunter2-env\n', { recipients: [recipient] });
    const base = 'resources: [secret.yaml]\nsecretGenerator:\n  - name: gen\n    envs: [app.env]\n';
    const overlay = 'resources: [../../base, namespace.yaml]\nnamespace: prod\n';
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n';
    const build = (files: Record<string, string>) => {
      const repo = Object.entries({
        'base/kustomization.yaml': base,
        'overlays/prod/kustomization.yaml': overlay,
        'overlays/prod/namespace.yaml': ns,
        ...files,
      }).map(([p, t]) => file(p, t));
      return decryptAndValidate(
        [file('kustomization.yaml', overlay), file('namespace.yaml', ns)],
        { repository: { path: 'overlays/prod', files: repo } },
        keyring,
      );
    };
    const ok = await build({ 'base/secret.yaml': secret, 'base/app.env': env });
    expect(ok.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const objects = [...ok.state.objects.values()];
    const plain = objects.find((o) => o.name === 'base-secret')?.object as unknown as {
      stringData: Record<string, string>;
    };
    expect(plain.stringData.password).toBe('hunter2-base');
    const gen = objects.find((o) => o.name.startsWith('gen-'))?.object as unknown as {
      data: Record<string, string>;
    };
    expect(Buffer.from(gen.data.TOKEN as string, 'base64').toString()).toBe('hunter2-env');
    // An unrelated SOPS file outside the source that fails (another key, another team) is no
    // concern of this source.
    const other = await sopsEncryptYaml('a: b\n', { recipients: [recipient] });
    const unrelated = await build({
      'base/secret.yaml': secret,
      'base/app.env': env,
      'other/secret.yaml': other.replace('a: ENC', 'b: ENC'),
    });
    expect(unrelated.valid).toBe(true);
    // A resource and a generator source that fail: the build's "doesn't exist" and the reason.
    for (const [files, name, reason] of [
      [
        { 'base/secret.yaml': secret.replace('base-secret', 'base-secret2'), 'base/app.env': env },
        '../../base/secret.yaml',
        /^SOPS: MAC mismatch/,
      ],
      [
        { 'base/secret.yaml': secret, 'base/app.env': env.replace('TOKEN=', 'TOKEN2=') },
        '../../base/app.env',
        /^SOPS: cannot decrypt the value at TOKEN2/,
      ],
    ] as const) {
      const bad = await build(files);
      expect(bad.valid).toBe(false);
      expect(bad.state.objects.size).toBe(0);
      const problem = bad.problems.find((p) => p.code === 'decrypt');
      expect(problem?.file).toBe(name);
      expect(problem?.message).toMatch(reason);
      expect(problem?.line).toBeGreaterThan(0);
      expect(JSON.stringify(bad.problems)).not.toContain('hunter2');
    }
  });
});
