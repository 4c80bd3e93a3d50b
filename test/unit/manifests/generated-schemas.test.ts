import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// schemas/k8s/*.json and kubernetes-fields.json are generated from Berth's field list and the
// upstream Kubernetes schemas (../shared/corpus): they must be what the scripts produce now.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const upstream = path.resolve(repoRoot, '../shared/corpus/k8s-schemas/v1.32.2-standalone-strict');
const present = existsSync(upstream);
if (!present) console.warn(`generated schemas: skipped, no upstream schemas at ${upstream}`);

describe.skipIf(!present)('generated manifest schemas', () => {
  for (const script of ['generate-k8s-schemas.mjs', 'generate-k8s-fields.mjs']) {
    it(`scripts/${script} --check: the committed files are up to date`, () => {
      const run = () =>
        execFileSync(process.execPath, [path.join('scripts', script), '--check', upstream], {
          cwd: repoRoot,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      expect(run).not.toThrow();
    });
  }
});
