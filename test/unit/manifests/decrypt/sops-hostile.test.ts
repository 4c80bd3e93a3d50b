import { describe, expect, it } from 'vitest';
import { AgeKeyring, decryptSopsFile } from '../../../../src/manifests/decrypt/index.js';
import { validateRevision } from '../../../../src/manifests/index.js';

// Found auditing issue #15: a file that looks SOPS-encrypted was parsed by the SOPS reader
// before the revision loader's nesting check, so a deep file reached the parser's recursion
// ("Maximum call stack size exceeded", 10 s and 500 MB for 800 KB). It is now left to the
// loader, which refuses it without parsing, at the line and column.
const deep = (n: number) =>
  `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: ENC[AES256_GCM,data:YQ==,iv:YQ==,tag:YQ==,type:str]\nx: ${'['.repeat(n)}${']'.repeat(n)}\nsops:\n  mac: ENC[AES256_GCM,data:YQ==,iv:YQ==,tag:YQ==,type:str]\n  lastmodified: "2024-01-01T00:00:00Z"\n  version: 3.8.1\n`;

describe('a hostile file that looks SOPS-encrypted', () => {
  it('is not parsed by the SOPS reader when it nests deeper than the YAML limit', async () => {
    const text = deep(200_000);
    await expect(
      decryptSopsFile('secret.yaml', Buffer.from(text), AgeKeyring.empty),
    ).resolves.toBeNull();
    // The loader then refuses it, positioned, without parsing it either.
    const r = validateRevision([{ path: 'secret.yaml', content: Buffer.from(text), mode: 'file' }]);
    expect(r.problems).toMatchObject([
      { file: 'secret.yaml', line: 6, column: 103, code: 'limit', severity: 'error' },
    ]);
  });
});
