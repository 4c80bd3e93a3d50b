import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    rmSync(dir, { recursive: true, force: true });
  });
});
