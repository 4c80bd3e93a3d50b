import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { compileConfig, parseConfigText } from '../../../../src/config/index.js';
import { decryptRevision, keyringFor } from '../../../../src/manifests/index.js';
import { sopsEncryptDotenv } from '../../../harness/sops-encrypt.js';

// sources[].decryption in berth.yaml, the keyring it gives, and what a Kustomize generator
// would read from a revision: its encrypted .env source in clear.
describe('sources[].decryption', () => {
  const header = 'apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\n';

  it('is compiled onto the source; anything but provider sops with ageKeys is refused', () => {
    const file = parseConfigText(
      `${header}sources:\n  - {name: a, repo: ./a, decryption: {provider: sops, ageKeys: {env: AGE_KEYS}}}\n`,
      'berth.yaml',
    );
    const [source] = compileConfig({ file, env: {}, cwd: '/srv' }).sources;
    expect(source?.decryption).toEqual({ provider: 'sops', ageKeys: { env: 'AGE_KEYS' } });
    expect(() =>
      parseConfigText(
        `${header}sources:\n  - {name: a, repo: ./a, decryption: {provider: vault, ageKeys: {env: K}}}\n`,
        'berth.yaml',
      ),
    ).toThrow(/invalid configuration file:\nberth\.yaml:\d+:\d+: .*decryption/);
    expect(() =>
      parseConfigText(
        `${header}sources:\n  - {name: a, repo: ./a, decryption: {provider: sops}}\n`,
        'berth.yaml',
      ),
    ).toThrow(/ageKeys/);
  });

  it('reads the identities from the variable or file it names, and decrypts a generator source', async () => {
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const env = await sopsEncryptDotenv('PASSWORD=hunter2\n', { recipients: [recipient] });
    const files = [{ path: 'base/app.env', content: Buffer.from(env), mode: 'file' as const }];
    const fromEnv = await keyringFor(
      { provider: 'sops', ageKeys: { env: 'AGE_KEYS' } },
      { AGE_KEYS: `  ${identity}  ` },
    );
    const decrypted = await decryptRevision(files, fromEnv);
    expect(decrypted.problems).toEqual([]);
    expect(Buffer.from(decrypted.files[0]?.content ?? []).toString()).toContain('PASSWORD=hunter2');
    const dir = mkdtempSync(path.join(tmpdir(), 'berth-sops-'));
    const keys = path.join(dir, 'keys.txt');
    writeFileSync(keys, `# created: now\n# public key: ${recipient}\n${identity}\n`);
    const fromFile = await keyringFor({ provider: 'sops', ageKeys: { file: keys } }, {});
    expect(fromFile.recipients).toEqual([recipient]);
    await expect(keyringFor({ provider: 'sops', ageKeys: { env: 'MISSING' } }, {})).rejects.toThrow(
      /MISSING is not set/,
    );
    // Without decryption: sops's own variables.
    const fromSops = await keyringFor(undefined, { SOPS_AGE_KEY_FILE: keys, XDG_CONFIG_HOME: dir });
    expect(fromSops.size).toBe(1);
    // SOPS_AGE_KEY: keys separated by any white space, beside SOPS_AGE_KEY_FILE.
    const second = await generateX25519Identity();
    const third = await generateX25519Identity();
    const fromVar = await keyringFor(undefined, {
      SOPS_AGE_KEY: `${second} ${third}\n`,
      XDG_CONFIG_HOME: dir,
    });
    expect(fromVar.recipients).toEqual([
      await identityToRecipient(second),
      await identityToRecipient(third),
    ]);
    const both = await keyringFor(undefined, {
      SOPS_AGE_KEY: second,
      SOPS_AGE_KEY_FILE: keys,
      XDG_CONFIG_HOME: dir,
    });
    expect(both.size).toBe(2);
    // The default keys file of sops, under XDG_CONFIG_HOME.
    mkdirSync(path.join(dir, 'sops', 'age'), { recursive: true });
    writeFileSync(path.join(dir, 'sops', 'age', 'keys.txt'), `${third}\n`);
    expect((await keyringFor(undefined, { XDG_CONFIG_HOME: dir })).size).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it('never puts a key in an error: a bad key is named by its location and line only', async () => {
    const good = await generateX25519Identity();
    // A valid-looking key with a broken checksum, and a lower-case one.
    const broken = `${good.slice(0, -6)}QQQQQQ`;
    const lower = good.toLowerCase();
    for (const [text, reason] of [
      [`# keys\n${good}\n${broken}\n`, /^SOPS_AGE_KEY line 3: malformed age identity$/],
      [`${lower}\n`, /^SOPS_AGE_KEY line 1: not an age identity/],
    ] as const) {
      const err = await keyringFor(undefined, {
        SOPS_AGE_KEY: text,
        XDG_CONFIG_HOME: '/nonexistent',
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(reason);
      const shown = JSON.stringify({
        message: (err as Error).message,
        data: (err as { data?: unknown }).data,
      });
      for (const secret of [good, broken, lower, good.slice(15, 40), lower.slice(15, 40)])
        expect(shown).not.toContain(secret);
    }
  });
});
