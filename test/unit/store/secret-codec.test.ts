import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_FILE, loadEncryptionKey, SecretCodec } from '../../../src/store/index.js';
import { useTempDir } from '../../harness/tmp.js';

const tmp = useTempDir();
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db' },
  type: 'Opaque',
  data: { token: Buffer.from('t0ken').toString('base64') },
  stringData: { password: 'hunter2' },
};

describe('SecretCodec', () => {
  it('seals data and stringData of a Secret (AES-256-GCM) and opens them again', () => {
    const codec = new SecretCodec(randomBytes(32));
    const sealed = codec.seal(secret);
    const text = JSON.stringify(sealed);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(secret.data.token);
    expect(sealed).toMatchObject({ kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque' });
    expect(JSON.stringify(codec.seal(secret))).not.toBe(text); // a fresh IV each time
    expect(codec.open(JSON.parse(text))).toEqual(secret);
  });

  it('leaves other kinds alone, and refuses to open with another key', () => {
    const codec = new SecretCodec(randomBytes(32));
    const cm = { kind: 'ConfigMap', data: { a: 'b' } };
    expect(codec.seal(cm)).toBe(cm);
    const sealed = codec.seal(secret);
    expect(() => new SecretCodec(randomBytes(32)).open(sealed)).toThrow(
      /cannot decrypt Secret db: secrets.encryptionKey is not the key/,
    );
  });

  it('generates the key into the state directory once, mode 0600; a configured key wins', () => {
    const dir = path.join(tmp, 'state');
    const first = loadEncryptionKey(undefined, dir);
    expect(loadEncryptionKey(undefined, dir)).toEqual(first);
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, KEY_FILE), 'utf8').trim()).toBe(first.toString('base64'));
    const configured = randomBytes(32);
    expect(loadEncryptionKey(configured.toString('base64'), dir)).toEqual(configured);
    expect(() => loadEncryptionKey('c2hvcnQ=', dir)).toThrow(/32 bytes in base64/);
  });
});
